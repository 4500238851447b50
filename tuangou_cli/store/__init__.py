"""The store: every function that reads or writes the database through a session.

Each function takes the open session as its first parameter, named ``session``; the caller
owns the transaction (``Store.write()`` in ``db``), so a command's writes land together or not
at all. One module per subject: ``clients`` (clients, lookups, classifications), ``accounts``
(contacts, competitors, needs, reciprocal deals), ``pipeline`` (activities, deals, stages,
credit), ``referrals`` (the programme and its rewards), ``cases`` (the case library),
``analysis`` (the reports' GROUP BYs) and ``queries`` (Core SELECTs that stream listings and
exports). The pure rules they apply live outside the package (``accounts``, ``stageline``,
``analysis``…), testable without a database.
"""

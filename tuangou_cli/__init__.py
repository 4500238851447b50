"""tg — a command-line assistant for group-purchase key-account sales (团购大客户销售)."""

__version__ = "0.1.0"

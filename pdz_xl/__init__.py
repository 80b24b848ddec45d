"""pdz-xl: validate, allocate and project Piano di Zona budgets inside Excel workbooks."""

__version__ = "0.1.0"

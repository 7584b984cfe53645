"""Sociale Innovatie Assistent: grounded answers on sociale innovatie for SMEs in Overijssel."""

__version__ = "0.1.0"

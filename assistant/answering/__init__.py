"""The answering service: retrieval-grounded answers with verified citations."""

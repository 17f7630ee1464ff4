"""The network: paper metadata from arXiv and Crossref, the Hugging Face Hub, SMTP."""

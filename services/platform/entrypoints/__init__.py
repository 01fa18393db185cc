"""Thin translators: the CertificateIssued subscriber, the orderer HTTP API, the operators' CLI."""

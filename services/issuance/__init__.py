"""Issuance: turns an accepted ApplicationSubmitted into certificates (保証契約番号, 認証キー, content, PDFs)
and emits CertificateIssued; an application it cannot accept gets ApplicationRejected."""

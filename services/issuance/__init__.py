"""Issuance: turns an accepted ApplicationSubmitted into certificates (保証契約番号, content, PDFs; 認証キー
when electronic) and emits CertificateIssued (electronic) or PaperCertificateIssued (証書(紙)); an
application it cannot accept gets ApplicationRejected. Owns the orderer registry (GET /internal/orderers)."""

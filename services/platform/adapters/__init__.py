"""asyncpg repositories of the platform schema, and the certificate PDF renderer."""

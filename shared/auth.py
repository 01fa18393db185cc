"""Passwords and 認証キー (Argon2id), and opaque bearer tokens, for both HTTP edges and issuance.

A token is random; only its SHA-256 is stored, so a database read does not yield a usable token.
"""

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# People choose passwords: argon2-cffi's default cost (about 130 ms here).
_passwords = PasswordHasher()
# A 認証キー is 12 random characters of 55 (about 69 bits): its entropy is the protection and the
# hash need only be one-way, so OWASP's minimum Argon2id cost (about 26 ms, one thread) is enough.
# Issuing hashes one key per certificate; the default cost made that the pipeline's largest CPU cost.
_auth_keys = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)

# Real hashes to verify against when the user or certificate is unknown, so both paths cost the same.
_DUMMY_PASSWORD_HASH = _passwords.hash(secrets.token_urlsafe(16))
_DUMMY_AUTH_KEY_HASH = _auth_keys.hash(secrets.token_urlsafe(9))


def hash_secret(secret: str) -> str:
    """A password's hash."""
    return _passwords.hash(secret)


def verify_secret(stored_hash: str | None, secret: str) -> bool:
    """A password against its hash; the same work whether or not there is a stored hash."""
    return _verify(_passwords, stored_hash, _DUMMY_PASSWORD_HASH, secret)


def hash_auth_key(auth_key: str) -> str:
    return _auth_keys.hash(auth_key)


def verify_auth_key(stored_hash: str | None, auth_key: str) -> bool:
    """A 認証キー against its hash; an unknown certificate (None) costs the same as a wrong key."""
    return _verify(_auth_keys, stored_hash, _DUMMY_AUTH_KEY_HASH, auth_key)


def _verify(hasher: PasswordHasher, stored_hash: str | None, dummy: str, secret: str) -> bool:
    try:
        return hasher.verify(stored_hash or dummy, secret) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> tuple[str, str]:
    """(token for the client, digest to store)."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

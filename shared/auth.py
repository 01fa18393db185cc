"""Passwords (Argon2id), 認証キー (HMAC-SHA-256 with a server-side secret) and opaque bearer tokens, for
both HTTP edges and issuance.

A token is random; only its SHA-256 is stored, so a database read does not yield a usable token.

A 認証キー is random too (about 69 bits), not chosen by a person: a slow password hash adds nothing a
guesser would notice, while a keyed hash makes the hash that travels on the bus (CertificateIssued)
useless without the secret, which only issuance and the platform hold (docs/security.md). The stored
form says how it was made:

    hmac-sha256$v1$<key id>$<64 hex>   new hashes; <key id> names the secret (AUTH_KEY_HMAC_SECRETS)
    $argon2id$v=19$…                   hashes made before, which still verify
"""

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# People choose passwords: argon2-cffi's default cost (about 130 ms here).
_passwords = PasswordHasher()
# Only verifies 認証キー hashed before the keyed hash (the cost is read from each hash).
_legacy_auth_keys = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)

# A real hash to verify against when the user is unknown, so both paths cost the same.
_DUMMY_PASSWORD_HASH = _passwords.hash(secrets.token_urlsafe(16))

AUTH_KEY_SCHEME = "hmac-sha256"
AUTH_KEY_FORMAT = "v1"  # HMAC-SHA-256(secret, the key's UTF-8), lowercase hex


@dataclass(frozen=True)
class AuthKeySecrets:
    """The secrets by key id and the id new hashes use; repr shows the ids only."""

    current_id: str
    secrets: Mapping[str, bytes] = field(repr=False)

    def __post_init__(self) -> None:
        if self.current_id not in self.secrets:
            raise ValueError(f"no secret for the current key id {self.current_id!r}")

    @classmethod
    def from_settings(cls, settings) -> "AuthKeySecrets":
        """From shared.settings.AuthKeySettings (AUTH_KEY_HMAC_SECRETS, AUTH_KEY_HMAC_KEY_ID)."""
        return cls(
            settings.auth_key_hmac_key_id,
            {key_id: secret.get_secret_value().encode() for key_id, secret in settings.auth_key_hmac_secrets.items()},
        )


_process_secrets: AuthKeySecrets | None = None


def use_auth_key_secrets(keys: AuthKeySecrets) -> None:
    """Set the process's secrets (the issuance and platform bootstraps, from their settings)."""
    global _process_secrets
    _process_secrets = keys


def _current_secrets() -> AuthKeySecrets:
    # A handler called without a bootstrap (a test, a tool) reads the same environment variables.
    global _process_secrets
    if _process_secrets is None:
        from shared.settings import AuthKeySettings

        _process_secrets = AuthKeySecrets.from_settings(AuthKeySettings())
    return _process_secrets


def hash_secret(secret: str) -> str:
    """A password's hash."""
    return _passwords.hash(secret)


def verify_secret(stored_hash: str | None, secret: str) -> bool:
    """A password against its hash; the same work whether or not there is a stored hash."""
    return _verify(_passwords, stored_hash, _DUMMY_PASSWORD_HASH, secret)


def hash_auth_key(auth_key: str, keys: AuthKeySecrets | None = None) -> str:
    """hmac-sha256$v1$<key id>$<hex>, under the current key id (microseconds: no thread needed)."""
    keys = keys or _current_secrets()
    return f"{AUTH_KEY_SCHEME}${AUTH_KEY_FORMAT}${keys.current_id}${_digest(keys.secrets[keys.current_id], auth_key)}"


def is_legacy_auth_key_hash(stored_hash: str | None) -> bool:
    """An Argon2 hash from before the keyed hash: slow to verify (tens of milliseconds)."""
    return stored_hash is not None and stored_hash.startswith("$argon2")


def verify_auth_key(stored_hash: str | None, auth_key: str, keys: AuthKeySecrets | None = None) -> bool:
    """A 認証キー against its hash. An unknown certificate (None), a malformed hash or an unknown key id
    fails closed, after the same HMAC work as a wrong key; an Argon2 hash from before verifies as before."""
    if is_legacy_auth_key_hash(stored_hash):
        try:
            return _legacy_auth_keys.verify(stored_hash, auth_key)
        except (VerificationError, InvalidHashError):
            return False
    keys = keys or _current_secrets()
    key_id, stored_hex = _parse(stored_hash)
    secret = keys.secrets.get(key_id) if key_id is not None else None
    expected = _digest(secret if secret is not None else keys.secrets[keys.current_id], auth_key)
    # Constant time: how much of a guessed digest matches must not show in the answer's timing.
    same = hmac.compare_digest(expected.encode(), (stored_hex or "").encode())
    return same and secret is not None


def _digest(secret: bytes, auth_key: str) -> str:
    return hmac.new(secret, auth_key.encode(), hashlib.sha256).hexdigest()


def _parse(stored_hash: str | None) -> tuple[str | None, str | None]:
    """(key id, hex digest) of a well-formed hmac-sha256$v1$… hash, else (None, None)."""
    parts = (stored_hash or "").split("$")
    if len(parts) != 4 or parts[0] != AUTH_KEY_SCHEME or parts[1] != AUTH_KEY_FORMAT:
        return None, None
    return parts[2], parts[3]


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

"""The 認証キー's keyed hash (shared.auth): format, rotation by key id, fail-closed, the Argon2 hashes from
before, constant-time comparison."""

import hmac
import re

import pytest
from argon2 import PasswordHasher

from shared import auth
from shared.auth import AuthKeySecrets, hash_auth_key, is_legacy_auth_key_hash, verify_auth_key
from shared.settings import AuthKeySettings

KEY = "Z28YUE4J3Bux"
OLD = AuthKeySecrets("2026-06", {"2026-06": b"old-secret-" + b"o" * 32})
ROTATED = AuthKeySecrets("2026-12", {"2026-12": b"new-secret-" + b"n" * 32, "2026-06": OLD.secrets["2026-06"]})


def test_the_format_names_scheme_version_and_key_id():
    stored = hash_auth_key(KEY, OLD)
    assert re.fullmatch(r"hmac-sha256\$v1\$2026-06\$[0-9a-f]{64}", stored)
    expected = hmac.new(OLD.secrets["2026-06"], KEY.encode(), "sha256").hexdigest()
    assert stored.rsplit("$", 1)[1] == expected
    assert KEY not in stored
    assert len(stored) <= 200  # shared/events/corrections.py bounds the field at 200


def test_the_right_key_verifies_and_a_wrong_one_does_not():
    stored = hash_auth_key(KEY, OLD)
    assert verify_auth_key(stored, KEY, OLD)
    assert not verify_auth_key(stored, KEY[::-1], OLD)
    assert not verify_auth_key(stored, KEY.lower(), OLD)
    assert not verify_auth_key(stored, "", OLD)


def test_after_rotation_new_hashes_use_the_new_id_and_old_ids_still_verify():
    before = hash_auth_key(KEY, OLD)
    after = hash_auth_key(KEY, ROTATED)
    assert after.split("$")[2] == "2026-12" and after != before
    assert verify_auth_key(before, KEY, ROTATED)
    assert verify_auth_key(after, KEY, ROTATED)


def test_an_unknown_key_id_fails_closed():
    # Once the old id is dropped from AUTH_KEY_HMAC_SECRETS, its hashes no longer open anything.
    only_new = AuthKeySecrets("2026-12", {"2026-12": ROTATED.secrets["2026-12"]})
    assert not verify_auth_key(hash_auth_key(KEY, OLD), KEY, only_new)
    # A hash that names the current id's digest under another id is no help either.
    forged = hash_auth_key(KEY, only_new).replace("$2026-12$", "$unknown$")
    assert not verify_auth_key(forged, KEY, only_new)


def test_the_same_id_with_another_secret_does_not_verify():
    other = AuthKeySecrets("2026-06", {"2026-06": b"another-secret-" + b"x" * 32})
    assert not verify_auth_key(hash_auth_key(KEY, OLD), KEY, other)


@pytest.mark.parametrize(
    "stored",
    [None, "", "hmac-sha256$v1$2026-06$", "hmac-sha256$v2$2026-06$" + "0" * 64, "hmac-sha256$v1$2026-06",
     "hmac-sha256$v1$2026-06$" + "0" * 64 + "$x", "sha256:" + "0" * 64, "hmac-sha256$v1$2026-06$ｚｚ"],
)
def test_missing_or_malformed_hashes_fail_closed(stored):
    assert not verify_auth_key(stored, KEY, OLD)


def test_an_argon2_hash_from_before_still_verifies():
    legacy = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1).hash(KEY)
    assert is_legacy_auth_key_hash(legacy) and not is_legacy_auth_key_hash(hash_auth_key(KEY, OLD))
    assert verify_auth_key(legacy, KEY, ROTATED)
    assert not verify_auth_key(legacy, KEY[::-1], ROTATED)
    assert not verify_auth_key("$argon2id$v=19$broken", KEY, ROTATED)


def test_the_digests_are_compared_in_constant_time(monkeypatch):
    calls = []
    compare_digest = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return compare_digest(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    stored = hash_auth_key(KEY, OLD)
    assert verify_auth_key(stored, KEY, OLD)
    assert not verify_auth_key(stored, "WRONGKEY2345", OLD)
    assert not verify_auth_key(None, KEY, OLD)  # an unknown certificate: the same comparison, against nothing
    assert len(calls) == 3


def test_secrets_come_from_the_settings_and_never_show_in_a_repr():
    secret = "s" * 40
    settings = AuthKeySettings(auth_key_hmac_secrets=f'{{"k1": "{secret}", "k0": "{"t" * 40}"}}', auth_key_hmac_key_id="k1")
    keys = AuthKeySecrets.from_settings(settings)
    assert keys.current_id == "k1" and set(keys.secrets) == {"k0", "k1"}
    assert secret not in repr(keys) and secret not in repr(settings) and secret not in str(settings.model_dump())
    assert hash_auth_key(KEY, keys).startswith("hmac-sha256$v1$k1$")


def test_the_current_key_id_must_have_a_secret():
    with pytest.raises(ValueError, match="AUTH_KEY_HMAC_KEY_ID 'k2' is not a key"):
        AuthKeySettings(auth_key_hmac_secrets={"k1": "s" * 40}, auth_key_hmac_key_id="k2")
    with pytest.raises(ValueError):
        AuthKeySettings(auth_key_hmac_secrets={"bad$id": "s" * 40}, auth_key_hmac_key_id="bad$id")
    with pytest.raises(ValueError):
        AuthKeySecrets("k2", {"k1": b"s" * 40})

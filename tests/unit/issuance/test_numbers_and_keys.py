import re
from datetime import date

import pytest

from services.issuance.domain.auth_keys import ALPHABET, KEY_LENGTH, new_auth_key
from services.issuance.domain.numbers import (
    CATEGORY_OF,
    CONTRACT_NUMBER,
    Category,
    contract_number,
    number_prefix,
    sequence_name,
)
from shared.events import Product

FORMAT = re.compile(r"^\d{5}-\d{5}[MCKY]$")


def test_number_format():
    number = contract_number(number_prefix("370", date(2026, 7, 1)), 1, Category.ADVANCE_PAYMENT)
    assert number == "37026-00001M"
    assert FORMAT.match(number)
    assert contract_number("35027", 99_999, Category.CONTRACT_GUARANTEE) == "35027-99999K"
    for category in Category:
        assert FORMAT.match(contract_number("10026", 42, category))


def test_letters_per_product():
    assert {product: category.value for product, category in CATEGORY_OF.items()} == {
        Product.ADVANCE_PAYMENT: "M",
        Product.INTERMEDIATE_ADVANCE_PAYMENT: "C",
        Product.CONTRACT_GUARANTEE: "K",
        Product.BID_BOND: "Y",
    }
    assert set(CATEGORY_OF) == set(Product)  # every product has its letter
    assert [c.value for c in Category] == ["M", "C", "K", "Y"]


def test_year_digits_wrap_at_the_century():
    assert number_prefix("100", date(2100, 1, 1)) == "10000"
    assert number_prefix("100", date(2009, 12, 31)) == "10009"


@pytest.mark.parametrize("serial", [0, -1, 100_000])
def test_serial_out_of_range(serial):
    with pytest.raises(ValueError):
        contract_number("37026", serial, Category.ADVANCE_PAYMENT)


@pytest.mark.parametrize("code", ["37", "3700", "abc", "3 7"])
def test_branch_code_has_three_digits(code):
    with pytest.raises(ValueError):
        number_prefix(code, date(2026, 1, 1))


def test_sequence_name_is_safe_sql():
    assert sequence_name("37026", Category.ADVANCE_PAYMENT) == "contract_serial_37026_m"
    with pytest.raises(ValueError):
        sequence_name('1"; DROP', Category.ADVANCE_PAYMENT)


def test_the_pattern_in_the_schema_matches_the_domain():
    assert CONTRACT_NUMBER.pattern == FORMAT.pattern


def test_key_alphabet_is_unambiguous():
    assert not set("0Oo1lIi") & set(ALPHABET)
    assert len(ALPHABET) == 55 and len(set(ALPHABET)) == 55
    assert set(ALPHABET) <= set("23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz")


def test_keys_length_alphabet_and_uniqueness():
    keys = [new_auth_key() for _ in range(20_000)]
    assert all(len(k) == KEY_LENGTH == 12 for k in keys)
    assert set("".join(keys)) == set(ALPHABET)  # every symbol is drawn, nothing else
    assert len(set(keys)) == len(keys)

import pytest

from geo.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("De Pakistaanse autoriteiten reageren verbolgen op de aanval van Iran.", "nl"),
        ("Bij de raket- en drone-aanval zijn volgens Pakistan twee kinderen gedood.", "nl"),
        (
            "Israel bombing Gaza, Lebanon launching missiles on Israel, and the U.S. targeting groups.",
            "en",
        ),
        (
            "Die Regierung hat den Angriff auf die Stadt scharf verurteilt, sagte der Sprecher.",
            "de",
        ),
        ("Le gouvernement a condamné les frappes dans la région, selon le ministre.", "fr"),
        ("", "und"),
        ("Pakistan Iran Irak", "und"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected

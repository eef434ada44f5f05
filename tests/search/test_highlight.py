"""Marking the matched words in result titles: without diacritics, whole words, escaped."""

from search.service import highlight


def test_marks_whole_words_matched_without_diacritics():
    assert highlight("Vải thiều Thanh Hà", ["vai", "ha"]) == "<mark>Vải</mark> thiều Thanh <mark>Hà</mark>"
    assert highlight("Mật ong Đại Hợp", ["dai"]) == "Mật ong <mark>Đại</mark> Hợp"


def test_only_the_last_word_may_be_a_beginning_while_typing():
    assert highlight("Chè shan tuyết", ["che", "tuy"], prefix_last=True) == "<mark>Chè</mark> shan <mark>tuyết</mark>"
    assert highlight("Chè shan tuyết", ["ch", "tuyet"], prefix_last=True) == "Chè shan <mark>tuyết</mark>"
    assert highlight("Hà Nội", ["h"]) == "Hà Nội"  # not a word, not typing


def test_escapes_the_title():
    assert highlight("Bánh <b>đậu</b> & xanh", ["dau"]) == "Bánh &lt;b&gt;<mark>đậu</mark>&lt;/b&gt; &amp; xanh"
    assert highlight("A & B", []) == "A &amp; B"

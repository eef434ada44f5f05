"""Questions and answers on product pages: a signed-in buyer asks (stored, the producer's members
e-mailed after commit); visitors not signed in cannot; asking is rate-limited. The page lists only
questions the producer answered and no moderator hid, escaped. Only the producer's members answer and
only the product's province officers or national admins hide (others: 403, nothing changes); an
answer refreshes the cached product page."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from catalog import roles
from catalog.models import ProducerMember, ProductPage, ProductQuestion, ProvinceOfficer
from catalog.permissions import setup_roles
from tests.factories import make_producer, make_product, province

pytestmark = pytest.mark.django_db
QUESTION = "Mật ong có bị kết tinh vào mùa đông không?"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(django_user_model):
    """A Hải Phòng producer with a product and a member, another producer's member, a buyer,
    officers of Hải Phòng and Hà Nội, and a national admin."""
    setup_roles()

    def user(name):
        return django_user_model.objects.create_user(name, f"{name}@example.com", "pw-questions-123")

    producer, other = make_producer(title="HTX Mật ong Đại Hợp"), make_producer(title="HTX Chè Cẩm Mỹ")
    member, other_member = user("htx"), user("htx-khac")
    ProducerMember.objects.create(user=member, producer=producer)
    ProducerMember.objects.create(user=other_member, producer=other)
    officer, far_officer = user("canbo-hp"), user("canbo-hn")
    ProvinceOfficer.objects.create(user=officer, province=province("hai-phong"))
    ProvinceOfficer.objects.create(user=far_officer, province=province("ha-noi"))
    national = user("quocgia")
    national.groups.add(Group.objects.get(name=roles.NATIONAL_ADMIN_GROUP))
    return {"product": make_product(producer=producer, title="Mật ong Đại Hợp"), "member": member,
            "other_member": other_member, "officer": officer, "far_officer": far_officer,
            "national": national, "buyer": user("nguoimua")}


def ask_url(product):
    return reverse("catalog:ask_question", args=[product.pk])


def act(client, question, action, **data):
    return client.post(reverse("catalog_questions_action", args=[question.pk]), {"action": action, **data})


def page_html(client, product) -> str:
    response = client.get(ProductPage.objects.get(pk=product.pk).url)
    assert response.status_code == 200
    return response.content.decode()


def asked(people, text=QUESTION) -> ProductQuestion:
    response = login(people["buyer"]).post(ask_url(people["product"]), {"text": text})
    assert response.status_code == 302
    return ProductQuestion.objects.get()


# --- Asking ----------------------------------------------------------------------------------------

def test_a_signed_in_buyer_asks_and_the_producers_members_are_emailed_after_commit(
        people, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(people["buyer"]).post(ask_url(people["product"]), {"text": f"  {QUESTION}  "})
    assert response.status_code == 302 and response.url.endswith("#hoi-dap")
    question = ProductQuestion.objects.get()
    assert question.text == QUESTION and question.user == people["buyer"] and not question.answer
    assert [message.to for message in mailoutbox] == [["htx@example.com"]]  # not the other producer's member
    assert "Mật ong Đại Hợp" in mailoutbox[0].subject and QUESTION in mailoutbox[0].body
    assert reverse("catalog_questions") in mailoutbox[0].body


def test_a_visitor_not_signed_in_gets_a_sign_in_link_and_cannot_ask(people, client):
    html = page_html(client, people["product"])
    assert 'name="text"' not in html and reverse("shop:login") + "?next=" in html
    response = client.post(ask_url(people["product"]), {"text": QUESTION})
    assert response.status_code == 302 and response.url.startswith(reverse("shop:login"))
    assert not ProductQuestion.objects.exists()


def test_a_signed_in_buyer_sees_the_form(people):
    assert f'action="{ask_url(people["product"])}"' in page_html(login(people["buyer"]), people["product"])


@pytest.mark.parametrize(("text", "message"), [("", "Hãy viết câu hỏi của bạn."), ("   ", "Hãy viết câu hỏi của bạn."),
                                                ("x" * 1001, "Nội dung dài quá 1000 ký tự.")])
def test_an_empty_or_too_long_question_is_refused_with_a_message(people, text, message):
    buyer = login(people["buyer"])
    response = buyer.post(ask_url(people["product"]), {"text": text}, follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    assert not ProductQuestion.objects.exists()


def test_a_question_of_exactly_1000_characters_is_accepted(people):
    assert asked(people, text="x" * 1000).text == "x" * 1000


def test_asking_is_rate_limited_per_client(people, settings):
    assert settings.RATE_LIMITS["question"] == "10/h"
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "question": "2/h"}
    buyer = login(people["buyer"])
    assert [buyer.post(ask_url(people["product"]), {"text": QUESTION}).status_code for _ in range(3)] == [302, 302, 429]
    assert ProductQuestion.objects.count() == 2


# --- What the page shows ---------------------------------------------------------------------------

def test_an_unanswered_question_is_not_shown(people, client):
    asked(people)
    assert QUESTION not in page_html(client, people["product"])


def test_an_answered_question_is_shown_escaped_with_the_producers_answer(people, client):
    question = asked(people, text="<script>alert(1)</script> Có giao lạnh không?")
    response = act(login(people["member"]), question, "answer", answer="<b>Có</b>, giao trong ngày.")
    assert response.status_code == 302
    html = page_html(client, people["product"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Có giao lạnh không?" in html and "<script>alert(1)" not in html
    assert "Chủ thể trả lời:" in html and "&lt;b&gt;Có&lt;/b&gt;, giao trong ngày." in html


def test_the_producer_may_edit_the_answer_until_it_is_hidden(people):
    question, member = asked(people), login(people["member"])
    act(member, question, "answer", answer="Có.")
    act(member, question, "answer", answer="Có, khi trời lạnh dưới 15 °C.")
    question.refresh_from_db()
    assert question.answer == "Có, khi trời lạnh dưới 15 °C." and question.answered_by == people["member"]
    act(login(people["officer"]), question, "hide", reason="Thông tin sai")
    act(member, question, "answer", answer="Sửa sau khi ẩn")
    question.refresh_from_db()
    assert question.answer == "Có, khi trời lạnh dưới 15 °C."


def test_a_hidden_question_is_not_shown_and_the_hiding_is_recorded(people, client):
    question = asked(people)
    act(login(people["member"]), question, "answer", answer="Có, khi trời lạnh.")
    assert QUESTION in page_html(client, people["product"])
    assert act(login(people["officer"]), question, "hide", reason="Quảng cáo trá hình").status_code == 302
    question.refresh_from_db()
    assert question.hidden and question.hidden_by == people["officer"] and question.hidden_at
    assert question.hidden_reason == "Quảng cáo trá hình"
    assert QUESTION not in page_html(client, people["product"])
    act(login(people["national"]), question, "unhide")
    assert QUESTION in page_html(client, people["product"])


def test_hiding_needs_a_reason(people):
    question = asked(people)
    act(login(people["officer"]), question, "hide", reason="  ")
    question.refresh_from_db()
    assert not question.hidden


# --- Who may do what --------------------------------------------------------------------------------

def test_a_member_of_another_producer_gets_a_403_and_cannot_answer(people):
    question, other = asked(people), login(people["other_member"])
    assert other.get(reverse("catalog_questions_detail", args=[question.pk])).status_code == 403
    assert act(other, question, "answer", answer="Không").status_code == 403
    question.refresh_from_db()
    assert question.answer == ""


def test_an_officer_of_another_province_gets_a_403_on_hide(people):
    question = asked(people)
    assert act(login(people["far_officer"]), question, "hide", reason="Không thích").status_code == 403
    question.refresh_from_db()
    assert not question.hidden


def test_moderators_cannot_answer_and_producers_cannot_hide(people):
    question = asked(people)
    assert act(login(people["officer"]), question, "answer", answer="Có").status_code == 403
    assert act(login(people["member"]), question, "hide", reason="Khó trả lời").status_code == 403
    question.refresh_from_db()
    assert question.answer == "" and not question.hidden


def test_the_list_shows_each_user_only_the_questions_in_their_scope(people):
    asked(people)
    url = reverse("catalog_questions")
    for who in ("member", "officer", "national"):
        assert QUESTION in login(people[who]).get(url).content.decode()
    for who in ("other_member", "far_officer"):
        assert QUESTION not in login(people[who]).get(url).content.decode()
    assert login(people["buyer"]).get(url).status_code == 302  # no admin access: Wagtail's sign-in page


# --- The page cache ---------------------------------------------------------------------------------

def test_answering_refreshes_the_cached_product_page(people, settings, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS = 3600
    settings.PAGE_CACHE_CLOCK_MARGIN = 0  # one machine, one clock
    question = asked(people)
    visitor, url = Client(), ProductPage.objects.get(pk=people["product"].pk).url
    visitor.get(url)
    assert visitor.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        act(login(people["member"]), question, "answer", answer="Có, khi trời lạnh.")
    fresh = visitor.get(url)
    assert fresh["X-Page-Cache"] == "miss" and QUESTION in fresh.content.decode()

"""The product page's questions and answers (`catalog.questions`)."""

from django import template

from catalog import questions

register = template.Library()


@register.simple_tag
def product_questions(product):
    """The product's answered, not hidden questions, newest first."""
    return questions.shown_questions(product)

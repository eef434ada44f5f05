"""Models name their Wagtail admin form by dotted path instead of importing it.

Admin forms ask `catalog.roles` and use admin widgets; a model module importing them would tie the
domain to admin code (and the admin code imports the models). `FormByPath` resolves the path when
Wagtail first reads `base_form_class` (to build an edit form, or in `manage.py check`), which is
always after the apps are loaded.
"""

from django.utils.module_loading import import_string


class FormByPath:
    """`base_form_class = FormByPath("catalog.forms.ProducerPageForm")`."""

    def __init__(self, path: str):
        self.path = path

    def __get__(self, instance, owner=None):
        return import_string(self.path)

from django.apps import AppConfig


class UiConfig(AppConfig):
    """The page kit: base form, listing and paging, pickers, the navigation registry, the
    page decorator and actor_for, template filters (library `jk`) and the PDF kit. It sits
    below registry and above access: it reads no registry or plans behaviour."""

    name = "jeugdketen.ui"
    label = "ui"

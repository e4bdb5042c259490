from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "mispers.synth"
    label = "synth"

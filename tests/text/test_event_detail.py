"""The challenge note rules: what a challenge was about and how it was resolved."""
from __future__ import annotations

import pytest

from paqa_dash.text import event_detail


@pytest.mark.parametrize("note, topic", [
    ("School challenged the step down: attendance has only improved for a few weeks", "STEP_DOWN"),
    ("Health visitor challenged the proposal to step-down to early help", "STEP_DOWN"),
    ("Health visitor challenged the decision to end the plan: weight not steady", "ENDING"),
    ("Adult mental health worker challenged the ending: support not started", "ENDING"),
    ("Police challenged the category: neglect when domestic abuse is the concern", "CATEGORY"),
    ("Police raised concern that domestic abuse has not been addressed", "PLAN_CONTENT"),
    ("School challenged the lack of progress between core groups", "PLAN_CONTENT"),
    ("Challenge escalated to the team manager under the escalation policy", "NOT_STATED"),
    ("", "NOT_STATED"), (None, "NOT_STATED"),
    # the resolution is not read as the topic: "plan" after "resolved" does not make it plan content
    ("Concern raised by school; resolved: actions added to the plan", "NOT_STATED"),
])
def test_topic(note, topic):
    assert event_detail.topic(note) == topic


@pytest.mark.parametrize("note, resolution", [
    ("challenged the ending; resolved: the chair agreed the plan should continue", "CHANGED"),
    ("challenged the step down; outcome: decision reversed, plan to continue", "CHANGED"),
    ("challenged the ending; outcome: early review held", "EARLY_REVIEW"),
    ("lack of progress; resolved: actions added to the plan", "PLAN_AMENDED"),
    ("challenged the step down; resolved: the decision to step down was upheld", "UPHELD"),
    ("challenged the plan; resolved: no change to the plan", "UPHELD"),
    # a request is not a resolution, and no "resolved"/"outcome" means none is recorded
    ("Escalation to the conference chair: request for an early review", "NOT_RECORDED"),
    ("challenged the ending; resolved: spoke to the manager", "NOT_RECORDED"),
    (None, "NOT_RECORDED"),
])
def test_resolution(note, resolution):
    assert event_detail.resolution(note) == resolution

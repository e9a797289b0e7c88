"""Read-aloud buttons: the questionnaire's audio, else speech when the browser has a voice."""

from __future__ import annotations

from typing import Any

import pytest
from browser_helpers import give_consent

pytestmark = [pytest.mark.browser]

#: A stand-in for the browser's speech synthesis with one Danish voice; it records what is spoken.
FAKE_SPEECH = """
(() => {
  const spoken = [];
  const voices = [{ lang: 'da-DK', name: 'Test dansk' }];
  const synth = new EventTarget();
  synth.getVoices = () => voices;
  synth.cancel = () => {};
  synth.speak = (utterance) => spoken.push({ text: utterance.text, lang: utterance.lang });
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  window.__spoken = spoken;
})();
"""


def test_audio_button_shown_only_where_there_is_audio(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/s/mini-audio?lang=da&area=vangdalen")
    give_consent(page)
    first = page.locator("#question-tilfreds_omraade [data-speak]")
    second = page.locator("#question-daarligt_ry [data-speak]")
    assert (
        first.is_visible()
        and first.get_attribute("data-audio") == "/s/mini-audio/audio/da/tilfreds_omraade"
    )
    assert second.is_hidden()  # no audio, and headless Chromium has no voices
    assert page.locator("[data-speak-choice]:visible").count() == 0
    audio = page.request.get(f"{live_server.url}/s/mini-audio/audio/da/tilfreds_omraade")
    assert audio.status == 200 and audio.body()[:4] == b"RIFF"
    first.click()


def test_speech_synthesis_reads_question_and_choices_when_a_voice_exists(
    browser: Any, live_server: Any
) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    context.add_init_script(FAKE_SPEECH)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/s/mini-survey?lang=da&area=vangdalen")
        give_consent(page)
        button = page.locator("#question-daarligt_ry [data-speak]")
        assert button.is_visible()
        button.click()
        spoken = page.evaluate("() => window.__spoken")
        assert spoken == [{"text": "Har dit boligområde et dårligt ry? Ja. Nej.", "lang": "da-DK"}]
        page.locator("#question-daarligt_ry [data-speak-choice]").first.click()
        assert page.evaluate("() => window.__spoken")[-1]["text"] == "Ja"
        # No Arabic voice: in Arabic the buttons stay hidden.
        page.locator("[data-switch-lang=ar]").click()
        page.wait_for_function("() => document.documentElement.lang === 'ar'")
        assert page.locator("[data-speak]:visible").count() == 0
    finally:
        context.close()

"""The test questionnaire with read-aloud audio, shared by the survey and browser tests."""

from __future__ import annotations

from pathlib import Path

MINI_SURVEY = Path(__file__).parent / "survey" / "fixtures" / "mini-survey.yaml"


def audio_questionnaire(folder: Path, audio_name: str, audio: bytes) -> Path:
    """Write the test questionnaire as ``mini-audio`` into ``folder``; return the YAML's path.

    Its first question gets Danish audio, the file ``audio/<audio_name>`` holding ``audio``.
    """
    source = MINI_SURVEY.read_text(encoding="utf-8")
    source = source.replace('id: mini-survey\nversion: "1.0"', 'id: mini-audio\nversion: "1.0"')
    source = source.replace(
        "      - id: tilfreds_omraade\n        type: single\n",
        "      - id: tilfreds_omraade\n        type: single\n"
        f"        audio: {{da: audio/{audio_name}}}\n",
    )
    (folder / "audio").mkdir()
    (folder / "audio" / audio_name).write_bytes(audio)
    path = folder / "mini-audio.yaml"
    path.write_text(source, encoding="utf-8")
    return path

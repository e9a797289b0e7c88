"""Fixed texts of the report in Danish and English.

Sentences are format strings filled with numbers already formatted by
:mod:`analysis.formatting`.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["TEXTS", "text"]

TEXTS: Mapping[str, Mapping[str, str]] = {
    "da": {
        "report_title": "Beboerundersøgelse {wave}",
        "report_subtitle": "Resultater for {areas}",
        "synthetic": "Syntetiske demodata – ikke rigtige svar fra beboere",
        "synthetic_long": (
            "Rapporten er lavet af syntetiske demodata. Tallene er konstrueret, så de ligner "
            "de offentliggjorte resultater, og beskriver ikke rigtige beboeres svar."
        ),
        "summary": "Hovedresultater",
        "respondents": "{n} besvarelser fra {areas}.",
        "caveat_only_second": (
            "Bemærk: {second} omfatter også {dropped}, som ikke indgik i {first}."
        ),
        "caveat_only_first": "{first} omfattede også {dropped}, som ikke indgik i {second}.",
        "caveat": (
            "Sammenligningen bruger derfor kun de fælles områder ({areas}); tallet for alle "
            "områder i {second} kan ikke sammenlignes direkte med {first}."
        ),
        "note_distribution": (
            "Fordeling af alle svar; »Ved ikke« vises for sig. Celler med under {k} svar "
            "og grupper under {min_n} svar vises ikke."
        ),
        "note_comparison": (
            "Forskel i procentpoint ({second} minus {first}) med 95\u00a0%-konfidensinterval efter "
            "Newcombe. Kun områder med i begge runder."
        ),
        "base": "Base",
        "figure": "Figur",
        "table": "Tabel",
        "question": "Spørgsmål",
        "n": "Antal svar (n)",
        "share": "Andel",
        "suppressed_note": (
            "× = For få svar til at vise resultatet (færre end {min_n} i gruppen eller en celle "
            "under {k}, eller skjult for at et andet tal ikke kan regnes ud)."
        ),
        "small_base_warning": "† = Lille base (under 50 svar): tallet er usikkert.",
        "method": "Metode og data",
        "method_text": (
            "Andele er beregnet af alle besvarelser med svar på spørgsmålet; »Ved ikke« tæller "
            "med i basen. Konfidensintervaller for andele er Wilson-intervaller, for forskelle "
            "mellem runder Newcombes hybride score-interval. Diskretionskontrol: ingen celle "
            "med færre end {k} svar, ingen procent på en base under {min_n}, og sekundær "
            "undertrykkelse, så skjulte tal ikke kan regnes ud fra totaler."
        ),
        "generated": "Lavet {time} med beboer {version}. Datagrundlagets SHA-256: {sha}.",
        "and": "og",
        "share_sentence": "{p} {positive} ({ci}; {n}).",
        "share_hidden_small": (
            "Andelen, der {positive}, vises ikke, fordi for få har svaret (færre end {min_n})."
        ),
        "share_hidden_cell": (
            "Andelen, der {positive}, vises ikke, fordi for få har givet et af svarene "
            "(færre end {k})."
        ),
        "share_hidden_secondary": (
            "Andelen, der {positive}, vises ikke af hensyn til diskretion: den ville ellers "
            "afsløre et tal, der er skjult et andet sted."
        ),
        "sides_sentence": "{parts}.",
        "sides_partly_hidden": " Resten af fordelingen vises ikke af hensyn til diskretion.",
        "title_share": "{p} {positive}",
        "title_share_hidden": "Andelen, der {positive}, vises ikke (for få svar)",
        "title_share_protected": (
            "Andelen, der {positive}, vises ikke (skjult af hensyn til diskretion)"
        ),
        "title_sides": "{parts}",
        "title_distribution_plain": "Fordelingen af svarene på »{question}«",
        "title_more": "Flere {positive}: {p2} mod {p1} i {first} (fælles områder)",
        "title_fewer": "Færre {positive}: {p2} mod {p1} i {first} (fælles områder)",
        "title_same": (
            "Ingen statistisk sikker ændring fra {first} til {second} i andelen, der "
            "{positive} ({signed})"
        ),
        "title_change_hidden_generic": (
            "Andelen, der {positive}, i {first} og {second} i de fælles områder "
            "(samlet tal skjult)"
        ),
        "verdict_up": "en statistisk sikker stigning på {pp_abs}",
        "verdict_down": "et statistisk sikkert fald på {pp_abs}",
        "verdict_none": "ingen statistisk sikker ændring",
        "change_sentence_generic": (
            "I de områder, der indgik i begge runder ({areas}), var andelen, der {positive}, "
            "{p1} i {first} ({n1}) og {p2} i {second} ({n2}): {verdict} ({pp}; {ci})."
        ),
        "change_hidden_generic": (
            "I de områder, der indgik i begge runder ({areas}), kan udviklingen i andelen, der "
            "{positive}, fra {first} til {second} ikke vises samlet af hensyn til diskretion."
        ),
        "not_comparable": (
            "»{question}« sammenlignes ikke med {first}. Spørgsmålets ordlyd eller "
            "svarmuligheder er ikke de samme i {first} og {second}."
        ),
        "not_in_earlier": "»{question}« blev ikke stillet i {first} og sammenlignes ikke.",
        "title_choices": "{top} nævnes oftest",
        "title_choices_base": "{top} nævnes oftest af {base}",
        "title_choices_hidden": "Svarene på »{question}« vises ikke (for få svar)",
        "choices_sentence": "De hyppigste svar på »{question}« er {reasons}.",
        "choices_sentence_base": "Blandt {base} nævnes oftest {reasons}.",
        "choices_hidden": (
            "Svarene på »{question}« vises ikke, fordi for få har svaret (færre end {min_n})."
        ),
        "followup_empty": (
            "Afsnittet om »{question}« er udeladt: ingen i {wave} blev stillet spørgsmålet "
            "eller svarede på det."
        ),
        "note_share_generic": (
            "Andel, der {positive}, af alle svar; »Ved ikke« medregnet i basen. "
            "95\u00a0%-konfidensinterval efter Wilson. Grupper under {min_n} svar vises ikke."
        ),
        "note_choices": (
            "Andel af dem, der svarede på spørgsmålet; flere svar muligt. "
            "95\u00a0%-konfidensinterval efter Wilson."
        ),
        "continued": "(fortsat, del {part} af {parts})",
        "part_first": "(del 1 af {parts})",
        "holm_note": (
            "»Sikker ændring«: intervallet for forskellen dækker ikke 0; med flere områder "
            "er p-værdierne justeret efter Holm."
        ),
        "method_unweighted": "Resultaterne er uvægtede: hvert svar tæller lige meget.",
        "method_weighted": "Resultaterne er vægtede med vægten »{weights}«.",
        "method_base": (
            "Basen for en andel er alle, der har svaret på spørgsmålet, »Ved ikke« medregnet; "
            "for opfølgende spørgsmål dem, der fik spørgsmålet."
        ),
        "method_fieldwork": "Besvarelserne i {wave} er indsendt fra {start} til {end}.",
        "method_per_area": "Besvarelser pr. område i {wave}: {areas}.",
        "method_rate": "{area}: {n} af {population} ({rate})",
        "trend_title": "Andelen, der {positive}, {waves} (områder med i alle runder)",
        "trend_sentence": (
            "I de områder, der indgik i alle runder ({areas}), var andelen, der {positive}, "
            "{values}."
        ),
        "trend_note": (
            "Andel i hver runde af områderne, der indgik i alle runder; 95\u00a0%-"
            "konfidensinterval efter Wilson."
        ),
        "trend_hidden": "skjult",
        "in_wave": "{p} i {wave}",
        "areas_many": "{n} boligområder (se metodeafsnittet)",
    },
    "en": {
        "report_title": "Resident survey {wave}",
        "report_subtitle": "Results for {areas}",
        "synthetic": "Synthetic demo data – not real answers from residents",
        "synthetic_long": (
            "This report is made from synthetic demo data. The numbers are constructed to "
            "resemble the published results and do not describe real residents' answers."
        ),
        "summary": "Main results",
        "respondents": "{n} responses from {areas}.",
        "caveat_only_second": (
            "Note: {second} also covers {dropped}, which was not surveyed in {first}."
        ),
        "caveat_only_first": "{first} also covered {dropped}, which was not surveyed in {second}.",
        "caveat": (
            "The comparison therefore uses only the common areas ({areas}); the figure for all "
            "areas in {second} cannot be compared directly with {first}."
        ),
        "note_distribution": (
            'Distribution of all answers; "don\'t know" shown apart. Cells under {k} answers '
            "and groups under {min_n} answers are not shown."
        ),
        "note_comparison": (
            "Difference in percentage points ({second} minus {first}) with 95% Newcombe "
            "confidence interval. Only areas surveyed in both waves."
        ),
        "base": "Base",
        "figure": "Figure",
        "table": "Table",
        "question": "Question",
        "n": "Responses (n)",
        "share": "Share",
        "suppressed_note": (
            "× = Too few answers to show the result (fewer than {min_n} in the group or a cell "
            "under {k}, or hidden so that another figure cannot be worked out)."
        ),
        "small_base_warning": "† = Small base (under 50 answers): the figure is uncertain.",
        "method": "Method and data",
        "method_text": (
            'Shares are computed over all responses answering the question; "don\'t know" '
            "counts in the base. Intervals for shares are Wilson intervals, for differences "
            "between waves Newcombe's hybrid score interval. Disclosure control: no cell with "
            "fewer than {k} answers, no percentage on a base under {min_n}, and secondary "
            "suppression so that hidden figures cannot be worked out from totals."
        ),
        "generated": "Made {time} with beboer {version}. SHA-256 of the data: {sha}.",
        "and": "and",
        "share_sentence": "{p} {positive} ({ci}; {n}).",
        "share_hidden_small": (
            "The share who {positive} is not shown because too few answered (fewer than {min_n})."
        ),
        "share_hidden_cell": (
            "The share who {positive} is not shown because too few gave one of the answers "
            "(fewer than {k})."
        ),
        "share_hidden_secondary": (
            "The share who {positive} is not shown, to protect respondents: it would reveal a "
            "figure hidden elsewhere."
        ),
        "sides_sentence": "{parts}.",
        "sides_partly_hidden": " The rest of the distribution is hidden for confidentiality.",
        "title_share": "{p} {positive}",
        "title_share_hidden": "The share who {positive} is not shown (too few answers)",
        "title_share_protected": (
            "The share who {positive} is not shown (hidden for confidentiality)"
        ),
        "title_sides": "{parts}",
        "title_distribution_plain": "Answers to “{question}”",
        "title_more": "More {positive}: {p2} against {p1} in {first} (common areas)",
        "title_fewer": "Fewer {positive}: {p2} against {p1} in {first} (common areas)",
        "title_same": (
            "No statistically certain change from {first} to {second} in the share who "
            "{positive} ({signed})"
        ),
        "title_change_hidden_generic": (
            "The share who {positive} in {first} and {second} in the common areas (total hidden)"
        ),
        "verdict_up": "a statistically certain rise of {pp_abs}",
        "verdict_down": "a statistically certain fall of {pp_abs}",
        "verdict_none": "no statistically certain change",
        "change_sentence_generic": (
            "In the areas surveyed in both waves ({areas}) the share who {positive} was {p1} in "
            "{first} ({n1}) and {p2} in {second} ({n2}): {verdict} ({pp}; {ci})."
        ),
        "change_hidden_generic": (
            "In the areas surveyed in both waves ({areas}) the change in the share who "
            "{positive} from {first} to {second} cannot be shown as a whole, to protect "
            "respondents' privacy."
        ),
        "not_comparable": (
            "“{question}” is not compared with {first}. The question's wording or answer options "
            "differ between {first} and {second}."
        ),
        "not_in_earlier": "“{question}” was not asked in {first} and is not compared.",
        "title_choices": "{top} is named most often",
        "title_choices_base": "{top} is named most often by {base}",
        "title_choices_hidden": "Answers to “{question}” are not shown (too few answers)",
        "choices_sentence": "The answers named most often to “{question}” are {reasons}.",
        "choices_sentence_base": "Among {base}, the answers named most often are {reasons}.",
        "choices_hidden": (
            "Answers to “{question}” are not shown because too few answered "
            "(fewer than {min_n})."
        ),
        "followup_empty": (
            "The section on “{question}” is left out: nobody in {wave} was asked it or "
            "answered it."
        ),
        "note_share_generic": (
            'Share who {positive}, of all answers; "don\'t know" included in the base. '
            "95% Wilson confidence interval. Groups under {min_n} answers are not shown."
        ),
        "note_choices": (
            "Share of those who answered the question; several answers possible. "
            "95% Wilson confidence interval."
        ),
        "continued": "(continued, part {part} of {parts})",
        "part_first": "(part 1 of {parts})",
        "holm_note": (
            '"Certain change": the interval of the difference does not cover 0; with several '
            "areas the p-values are Holm-adjusted."
        ),
        "method_unweighted": "Results are unweighted: every response counts the same.",
        "method_weighted": "Results are weighted with the weight “{weights}”.",
        "method_base": (
            'The base of a share is everyone who answered the question, "don\'t know" '
            "included; for follow-up questions those who were asked."
        ),
        "method_fieldwork": "Responses in {wave} were submitted from {start} to {end}.",
        "method_per_area": "Responses per area in {wave}: {areas}.",
        "method_rate": "{area}: {n} of {population} ({rate})",
        "trend_title": "The share who {positive}, {waves} (areas in every wave)",
        "trend_sentence": (
            "In the areas surveyed in every wave ({areas}) the share who {positive} was "
            "{values}."
        ),
        "trend_note": (
            "Share in each wave over the areas surveyed in every wave; 95% Wilson confidence "
            "interval."
        ),
        "trend_hidden": "hidden",
        "in_wave": "{p} in {wave}",
        "areas_many": "{n} housing areas (see the methods section)",
    },
}


def text(lang: str, key: str, **values: object) -> str:
    """The fixed text ``key`` in ``lang``, filled with ``values``.

    Parameters
    ----------
    lang : {"da", "en"}
        Report language.
    key : str
        Name of the text.
    **values
        Values for the text's ``{placeholders}``.

    Returns
    -------
    str
    """
    try:
        template = TEXTS[lang][key]
    except KeyError:
        raise ValueError(f"no report text {key!r} in language {lang!r}") from None
    return template.format(**values)

"""The language check: English texts of every shape stay English, foreign news is flagged
(``P128``) with its language, the input's own declaration is kept, and a corpus run reports a
French file by name while analysing everything."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from presslens.cli import main
from presslens.language import declared_tag, guess_language, language_label
from presslens.model import Article
from presslens.readers import read_articles
from presslens.readers.codes import NOT_ENGLISH, not_english
from presslens.run import analyze_corpus
from presslens.settings import Settings
from presslens.views import render_report

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

# -- hand-written samples ---------------------------------------------------------------------
FOREIGN = {
    "fr": "Rabat : le gouvernement annonce un nouveau plan pour l'eau\n\nLe ministre de "
    "l'Équipement a présenté mardi un programme de construction de dix barrages d'ici 2030, "
    "selon un communiqué publié par ses services. « Nous devons agir maintenant, car la "
    "sécheresse menace les récoltes », a déclaré le ministre devant les députés. Les "
    "agriculteurs de la région, qui ont perdu une grande partie de leurs cultures l'an "
    "dernier, attendent des mesures concrètes.",
    "es": "El Consejo de Ministros aprobó este martes la reforma del sistema de pensiones, que "
    "según el ministro garantizará su sostenibilidad durante las próximas décadas. La medida, "
    "que ha sido criticada por la patronal, eleva las cotizaciones de los salarios más altos. "
    '"Es una reforma justa y necesaria", afirmó la portavoz del Ejecutivo.',
    "ca": "El Govern ha aprovat aquest dimarts un pla per construir deu embassaments abans del "
    "2030, segons un comunicat del departament. Els pagesos de la regió, que van perdre bona "
    "part de les collites l'any passat, esperen mesures concretes, però també més ajuts, "
    "perquè la sequera amenaça els conreus.",
    "de": "Die Bundesregierung hat am Mittwoch ein umfangreiches Paket zum Klimaschutz auf den "
    "Weg gebracht. Nach Angaben des Ministeriums sollen die Emissionen im Verkehr bis 2030 um "
    "ein Drittel sinken. Kritiker aus der Opposition halten die Maßnahmen jedoch für "
    "unzureichend. „Wir haben lange verhandelt, aber das Ergebnis kann sich sehen lassen“, "
    "sagte der Minister in Berlin.",
    "it": "Il Consiglio dei ministri ha approvato nella notte la legge di bilancio, che prevede "
    "un aumento dei fondi per la sanità pubblica e un taglio delle tasse sul lavoro. Secondo "
    "il ministro dell'Economia, le misure costeranno circa 24 miliardi di euro. L'opposizione "
    "ha invece criticato il testo, che a suo giudizio non affronta il problema dei salari.",
    "pt": "O governo federal anunciou nesta quarta-feira um pacote de investimentos de 50 "
    "bilhões de reais em estradas, portos e ferrovias. Segundo o ministro dos Transportes, as "
    "obras devem gerar milhares de empregos até o fim do próximo ano. A oposição, no entanto, "
    "afirmou que o plano não tem fontes de financiamento claras.",
    "nl": "Het kabinet heeft dinsdag besloten om de komende vijf jaar twee miljard euro extra "
    "te investeren in de bouw van betaalbare woningen. Volgens de minister moeten er daardoor "
    "jaarlijks tienduizend huizen meer worden gebouwd dan nu het geval is. De oppositie "
    "noemde het plan een stap in de goede richting, maar vindt dat het niet snel genoeg gaat.",
    "ar": "أعلنت الحكومة يوم الثلاثاء عن برنامج لبناء عشرة سدود جديدة بحلول عام 2030، وفق بيان "
    "صادر عن وزارة التجهيز والماء. وقال الوزير أمام البرلمان إن الجفاف يهدد المحاصيل الزراعية.",
    "fa": "دولت روز سه‌شنبه برنامه‌ای برای ساخت ده سد جدید تا سال ۲۰۳۰ اعلام کرد. وزیر نیرو "
    "در مجلس گفت که خشکسالی محصولات کشاورزی را به شدت تهدید می‌کند.",
    "ru": "Правительство в среду утвердило программу развития транспортной инфраструктуры до "
    "2030 года. По словам министра, на строительство новых дорог будет выделено более "
    "триллиона рублей. Эксперты считают, что этих средств может оказаться недостаточно.",
    "uk": "Кабінет міністрів у середу ухвалив програму підтримки малого та середнього бізнесу, "
    "яка передбачає пільгові кредити для підприємців. За словами міністра економіки, у "
    "програмі вже взяли участь понад десять тисяч компаній.",
    "el": "Η κυβέρνηση ανακοίνωσε την Τρίτη ένα νέο πακέτο μέτρων για τη στήριξη των "
    "νοικοκυριών απέναντι στην αύξηση των τιμών.",
    "he": "הממשלה הודיעה ביום שלישי על תוכנית להקמת עשרה מאגרי מים חדשים עד שנת 2030. השר "
    "אמר בכנסת כי הבצורת מאיימת על היבולים.",
    "zh": "政府星期二宣布，将在二零三零年前建设十座新水库，以应对持续的干旱。水利部长在议会"
    "表示，干旱已经严重威胁农业生产。",
    "ja": "政府は火曜日、二〇三〇年までに十か所の新しいダムを建設する計画を発表した。大臣は"
    "国会で、干ばつが農作物に深刻な影響を与えていると述べた。",
    "ko": "정부는 화요일 2030년까지 새로운 댐 열 곳을 건설하는 계획을 발표했다. 장관은 국회에서 "
    "가뭄이 농작물에 심각한 피해를 주고 있다고 말했다.",
    "hi": "सरकार ने मंगलवार को 2030 तक दस नए बांध बनाने की योजना की घोषणा की। मंत्री ने संसद "
    "में कहा कि सूखा फसलों के लिए गंभीर खतरा है।",
    "und-Latn": "Hükümet salı günü, 2030 yılına kadar on yeni baraj inşa edilmesini öngören bir "
    "program açıkladı. Bakan, mecliste yaptığı konuşmada kuraklığın tarım ürünlerini ciddi "
    "şekilde tehdit ettiğini ve devletin hızla harekete geçmesi gerektiğini söyledi. "
    "Muhalefet ise planın finansmanının belirsiz olduğunu ve çiftçilerin somut adımlar "
    "beklediğini belirtti. Uzmanlar, su kaynaklarının daha verimli kullanılması için yeni "
    "yatırımların şart olduğunu vurguluyor.",
    "und": "ລັດຖະບານ ປະກາດ ແຜນການ ໃໝ່ ສໍາລັບ ນໍ້າ ໃນ ວັນອັງຄານ ທີ່ຜ່ານມາ ລັດຖະມົນຕີ ກ່າວ ວ່າ "
    "ໄພແຫ້ງແລ້ງ ກໍາລັງ ເປັນ ໄພ ຂົ່ມຂູ່ ຕໍ່ ພືດຜົນ",
    "und-Tfng": "ⵜⵙⵙⵓⴼⵖ ⵜⵏⴱⴰⴹⵜ ⴰⵙⵙ ⵏ ⵓⵙⵉⵏⴰⵙ ⴰⵖⴰⵡⴰⵙ ⵏ ⵓⵙⴱⴷⴷ ⵏ ⵎⵔⴰⵡ ⵉⵙⴷⵓⵔⵏ ⵉⵎⴰⵢⵏⵓⵜⵏ ⴰⵔ "
    "ⴰⵙⴳⴳⵯⴰⵙ ⵏ 2030.",
}

ENGLISH = {
    "short": "The mayor said on Monday that the buses would run from next year.",
    "one word": "Breaking",
    "headline only": "Trump Says He Will Not Attend Debate As Polls Tighten In Ohio",
    "headline with Spanish name": "De La Hoya Beats Mayorga In Los Angeles Title Fight",
    "all capitals": "PRESIDENT SAYS TALKS WITH UNION WILL GO ON. NO DEAL IS EXPECTED BEFORE "
    "FRIDAY, AIDES SAID, AS THE STRIKE ENTERS ITS THIRD WEEK AND SCHOOLS REMAIN SHUT.",
    "names and numbers": "Luis de la Fuente, Ursula von der Leyen, Bill de Blasio, Bashar "
    "al-Assad, Luiz Inácio Lula da Silva, Mark van der Berg and Abu Bakr al-Baghdadi. Results: "
    "de la Cruz 41.2%, del Toro 38.5%, dos Santos 12.1%, van Dijk 8.2%; turnout 61% "
    "(1,204,337 votes) in Los Angeles, San José, Las Vegas and Santa Fe.",
    "sports results": "Real Madrid 2 Barcelona 1; Bayern München 3 Borussia Dortmund 3; "
    "Juventus 0 Inter 1; Paris Saint-Germain 4 Olympique de Marseille 0; Ajax 2 PSV 2.",
    "French quote": 'The president arrived in Paris on Tuesday. "Nous ne céderons rien, ni '
    "aujourd'hui ni demain, et nous le dirons à tous ceux qui veulent nous diviser,\" he told "
    "the crowd, before meeting the prime minister for talks on the budget that officials "
    "said would last until the evening. Aides said he would fly to Berlin on Wednesday.",
    "German and Spanish phrases": 'Merkel\'s "Wir schaffen das" became a slogan, and the '
    'protesters answered with "¡No pasarán!" as the police moved in. The minister said '
    "that the government would not change its policy, and that the talks with the unions "
    "would resume after the holiday. Critics said the plan was too little, too late.",
    "Arabic slogan": 'The crowd chanted "الشعب يريد إسقاط النظام" (the people want the fall '
    "of the regime) as the army watched from the square, witnesses said. The protests spread "
    "to three other cities by the evening, and the government imposed a curfew that it said "
    "would stay in force until further notice.",
    "links": "Read more at https://www.example.com/news/2021/03/01/le-plan-de-la-ville and "
    "https://example.org/de/die-stadt-und-der-plan, or write to la.redaction@example.fr.",
}


@pytest.mark.parametrize("expected", sorted(FOREIGN))
def test_foreign_news_is_flagged_with_its_language(expected: str) -> None:
    guess = guess_language(FOREIGN[expected])
    assert guess.language == expected, guess
    assert not guess.english


@pytest.mark.parametrize("name", sorted(ENGLISH))
def test_english_of_every_shape_is_not_flagged(name: str) -> None:
    guess = guess_language(ENGLISH[name])
    assert guess.english, guess


def test_a_foreign_text_named_by_shared_words_only_is_no_listed_language() -> None:
    # Slovak writes "je", "sa", "se" as French does, but nothing else of the French list.
    slovak = (
        "Vláda v utorok schválila program výstavby desiatich nových vodných nádrží do roku "
        "2030. Minister v parlamente povedal, že sucho vážne ohrozuje úrodu a štát musí konať "
        "rýchlo. Opozícia plán kritizovala, pretože nie je jasné, odkiaľ sa vezmú peniaze. "
        "Poľnohospodári, ktorí minulý rok prišli o veľkú časť úrody, čakajú na konkrétne "
        "rozhodnutia a hovoria, že sa situácia zhoršuje."
    )
    assert guess_language(slovak).language == "und-Latn"


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("fr-FR", "fr"),
        ("en_US", "en"),
        (" DE ", "de"),
        ("French", "fr"),
        ("und", None),
        ("mul", None),
        ("{{lang}}", None),
        ("", None),
        (5, None),
    ],
)
def test_declared_language_tags_are_read_as_primary_subtags(value: object, tag: str | None) -> None:
    assert declared_tag(value) == tag


# -- readers: what the input declares ---------------------------------------------------------
def read_one(path: Path) -> Article:
    (art,) = read_articles([str(path)], Settings())
    assert isinstance(art, Article), art
    return art


def test_french_text_file_gets_its_language_and_a_p128_warning(tmp_path: Path) -> None:
    path = tmp_path / "rabat.txt"
    path.write_text(FOREIGN["fr"], encoding="utf-8")
    art = read_one(path)
    assert art.language == "fr"
    assert art.meta["language_from"]["rule"] == "function words"
    warning = not_english(art)
    assert warning is not None and warning.code == NOT_ENGLISH == "P128"
    assert warning.where == str(path)
    assert "French (fr)" in warning.message and "trained on English" in warning.message


def test_english_text_file_keeps_en_and_no_evidence(tmp_path: Path) -> None:
    path = tmp_path / "quote.txt"
    path.write_text(ENGLISH["French quote"], encoding="utf-8")
    art = read_one(path)
    assert art.language == "en"
    assert "language_from" not in art.meta
    assert not_english(art) is None


def test_record_field_language_is_kept_as_declared(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"text": FOREIGN["es"], "lang": "es-ES"}) + "\n", encoding="utf-8")
    art = read_one(path)
    assert art.language == "es"
    found = art.meta["language_from"]
    assert (found["rule"], found["value"], found["where"]) == (
        "declared",
        "es-ES",
        "record field 'lang'",
    )
    assert found["detected"]["language"] == "es"
    warning = not_english(art)
    assert warning is not None and "declares Spanish" in warning.message


def test_page_declared_english_that_reads_french_is_flagged(tmp_path: Path) -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in FOREIGN["fr"].split("\n\n"))
    path = tmp_path / "page.html"
    path.write_text(
        f'<!doctype html><html lang="en-US"><head><title>Eau</title></head><body><article>'
        f"{paragraphs}</article></body></html>",
        encoding="utf-8",
    )
    art = read_one(path)
    assert art.language == "en"  # the declaration is kept …
    assert art.meta["language_from"]["detected"]["language"] == "fr"  # … with what it reads as
    warning = not_english(art)
    assert warning is not None
    assert "declares English" in warning.message and "reads as French" in warning.message
    assert "results unreliable" in language_label(art.language, art.meta["language_from"])


def test_page_declared_english_that_reads_english_is_not_flagged(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    text = ENGLISH["Arabic slogan"]
    path.write_text(
        f'<!doctype html><html lang="en"><head><title>Square</title></head><body><article>'
        f"<p>{text}</p><p>{ENGLISH['German and Spanish phrases']}</p></article></body></html>",
        encoding="utf-8",
    )
    art = read_one(path)
    assert art.language == "en" and art.meta["language_from"]["value"] == "en"
    assert not_english(art) is None


def test_a_language_header_line_declares_the_language(tmp_path: Path) -> None:
    path = tmp_path / "berlin.txt"
    path.write_text(f"date: 2026-03-01\nlanguage: de\n\n{FOREIGN['de']}\n", encoding="utf-8")
    art = read_one(path)
    assert art.language == "de"
    assert art.meta["language_from"]["where"] == "header 'language'"


def test_feed_language_is_declared_for_its_items(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(
        '<rss version="2.0"><channel><title>Le Journal</title><language>fr-FR</language>'
        f"<item><title>Eau</title><description>{FOREIGN['fr']}</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    art = read_one(path)
    assert art.language == "fr"
    assert art.meta["language_from"]["where"] == "the feed's language"


def test_report_shows_the_language_of_an_article_not_in_english(tmp_path: Path) -> None:
    path = tmp_path / "rabat.txt"
    path.write_text(FOREIGN["fr"], encoding="utf-8")
    html = render_report([read_one(path)], generated_at="2026-01-01 00:00 UTC")
    assert "Not in English" in html
    assert "fr (French, not English: results unreliable)" in html


# -- a corpus run -----------------------------------------------------------------------------
ENGLISH_ARTICLE = (
    "Council approves harbour budget\n\nThe city council approved a budget of 4.2 million "
    "dollars on Tuesday, the mayor's office said in a statement released after the vote. The "
    "budget includes funds for road repairs and two new libraries, according to the finance "
    "department.\n"
)


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a_harbour.txt").write_text(ENGLISH_ARTICLE, encoding="utf-8")
    (folder / "b_rabat.txt").write_text(FOREIGN["fr"], encoding="utf-8")
    (folder / "c_square.txt").write_text(ENGLISH["Arabic slogan"], encoding="utf-8")
    return folder


@pytest.mark.slow
def test_corpus_run_reports_the_french_file_and_analyses_every_article(
    mixed_folder: Path,
) -> None:
    result = analyze_corpus([str(mixed_folder)], store=None)
    assert result.errors == []
    (warning,) = result.warnings
    assert warning["code"] == "P128" and warning["source"].endswith("b_rabat.txt")
    assert "French" in warning["message"]
    languages = {Path(a.source).name: a.language for a in result.articles}
    assert languages == {"a_harbour.txt": "en", "b_rabat.txt": "fr", "c_square.txt": "en"}
    assert all("entities" in a.layers for a in result.articles)  # the French one too


@pytest.mark.slow
def test_analyze_command_warns_by_file_name_and_exits_zero(
    mixed_folder: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    args = ["analyze", str(mixed_folder), "--no-store", "--errors", str(tmp_path / "e.jsonl")]
    done = runner.invoke(main, [*args, "--json"])
    assert done.exit_code == 0, done.output
    out = json.loads(done.stdout)
    assert [w["code"] for w in out["warnings"]] == ["P128"]
    assert out["failed"] == 0 and len(out["articles"]) == 3
    assert {Path(a["source"]).name: a["language"] for a in out["articles"]}["b_rabat.txt"] == "fr"
    assert (tmp_path / "e.jsonl").read_text(encoding="utf-8") == ""  # a warning is no failure
    shown = runner.invoke(main, args)
    assert shown.exit_code == 0
    assert "warning [P128]" in shown.stderr and "b_rabat.txt" in shown.stderr
    assert "1 not in English" in shown.stdout


# -- the English corpora of ../shared/data ----------------------------------------------------
#: The only texts of ../shared/data that are not in English: two hyperpartisan articles, one
#: in Malay and one in Chinese. They must be flagged.
NOT_ENGLISH_IN_DATA = {"hyperpartisan:0000402": "und-Latn", "hyperpartisan:0000410": "zh"}


def _txt(folder: str) -> Iterator[tuple[str, str]]:
    for article in read_articles([str(DATA / folder)], Settings()):
        if isinstance(article, Article):
            yield article.source, article.text


def _hyperpartisan() -> Iterator[tuple[str, str]]:
    root = ET.parse(DATA / "hyperpartisan" / "articles-training-byarticle-20181122.xml").getroot()
    for art in root:
        body = "\n\n".join("".join(p.itertext()) for p in art.iter("p"))
        yield f"hyperpartisan:{art.get('id')}", f"{art.get('title') or ''}\n\n{body}"
        yield f"hyperpartisan title:{art.get('id')}", art.get("title") or ""


def _ecbplus() -> Iterator[tuple[str, str]]:
    for path in sorted((DATA / "ecbplus" / "ECB+").glob("*/*.xml")):
        tokens = ET.parse(path).getroot().iter("token")
        yield str(path), " ".join(t.text or "" for t in tokens)


def _tempeval() -> Iterator[tuple[str, str]]:
    for path in sorted((DATA / "tempeval3").rglob("*.tml")):
        text = ET.parse(path).getroot().find("TEXT")
        yield str(path), "".join(text.itertext()) if text is not None else ""


def _sentences() -> Iterator[tuple[str, str]]:
    for item in json.loads((DATA / "newsquant" / "newsquant-dev.json").read_text("utf-8")):
        yield "newsquant", item["text"]
    for name in ("test.json", "train.json"):
        path = DATA / "checkworthiness" / "claimbuster" / name
        for item in json.loads(path.read_text("utf-8")):
            yield f"claimbuster:{item['sentence_id']}", item["text"]
    with (DATA / "checkworthiness" / "CT19-T1-Training.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            yield f"checkthat:{row['file_name']}:{row['line_number']}", row["text"]


CORPORA = {
    "polnear": lambda: [*_txt("polnear/train/text"), *_txt("polnear/dev/text")],
    "ptc": lambda: _txt("ptc/train-articles"),
    "semeval2023": lambda: _txt("semeval2023/train-articles-subtask-3"),
    "hyperpartisan": _hyperpartisan,
    "ecbplus": _ecbplus,
    "tempeval3": _tempeval,
    "sentences": _sentences,
}


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_no_english_text_of_the_shared_data_is_flagged(corpus: str) -> None:
    if not DATA.is_dir():
        pytest.skip(f"annotated data not found at {DATA} (../shared is absent)")
    texts = list(CORPORA[corpus]())
    assert texts, f"no {corpus} texts under {DATA}"
    flagged = {src: g.language for src, text in texts if not (g := guess_language(text)).english}
    expected = {k: v for k, v in NOT_ENGLISH_IN_DATA.items() if k.startswith(f"{corpus}:")}
    assert flagged == expected

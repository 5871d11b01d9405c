"""Names drawn at Peru's frequencies: surnames, given names and how often people share them.

Two settings (`SETTINGS`):
- ``realistic``: Quispe is the paternal surname of about 4 % of people and the top 20
  surnames together of about 28 % (rounded shares in the order of Peru's published
  rankings); ranks 21 to about 200 are real surnames with Zipf shares that carry on from
  rank 20, and a long tail of rare Andean-sounding surnames (invented, from
  `participants.linkage.synthetic.vocabulary`) holds the rest, about a third of people.
  Given names likewise: María is the first given name of about 14 % of women, José and
  Juan of about 7 % of men each, and more than half of the people carry a second given
  name, often one of the usual compounds (María Elena, José Luis, Juan Carlos).
- ``namesakes``: a stress test. Quispe, Mamani, Flores and Huamán (and a few more) are the
  surnames of about three people in four, and a handful of given names cover most people,
  so many different people share one full name.

The maternal surname is drawn from the same frequencies as the paternal one; a married
woman may add "de" and her husband's surname, drawn from them too.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

from unidecode import unidecode

from participants.linkage.synthetic.vocabulary import rare_surnames

REALISTIC, NAMESAKES = "realistic", "namesakes"


def key(name: str) -> str:
    """A name compared as the registry would, without accents or case."""
    return unidecode(name).upper()


# The 20 most common surnames, in % of people (paternal surname): 28 % together.
TOP_SURNAMES: tuple[tuple[str, float], ...] = (
    ("Quispe", 4.0),
    ("Huamán", 2.1),
    ("Flores", 2.0),
    ("Sánchez", 1.8),
    ("Rodríguez", 1.6),
    ("García", 1.5),
    ("Rojas", 1.45),
    ("Mamani", 1.4),
    ("Ramos", 1.25),
    ("Chávez", 1.2),
    ("Torres", 1.15),
    ("Díaz", 1.1),
    ("Vásquez", 1.05),
    ("Castillo", 1.0),
    ("Mendoza", 0.95),
    ("Gonzales", 0.9),
    ("Ramírez", 0.9),
    ("Espinoza", 0.85),
    ("Romero", 0.85),
    ("Vargas", 0.95),
)

# Ranks 21 on, most common first: Hispanic surnames of the whole country, Andean (Quechua and
# Aymara) surnames of the south, Amazonian ones of Loreto, San Martín and Ucayali, northern
# ones of Piura and Lambayeque, and the compound surnames with particles.
COMMON_SURNAMES: tuple[str, ...] = tuple(
    (
        "Cruz López Pérez Gutiérrez Condori Fernández Rivera Salazar Morales Herrera Gómez "
        "Ruiz Álvarez Castro Jiménez Medina Silva Martínez Reyes Aguilar Cárdenas Córdova "
        "Ríos Cáceres Paredes Campos Apaza Choque Vilca Ticona Huanca Ccama Palomino "
        "Valdivia Zapata Ortiz Salas Calderón Carrasco Núñez Delgado Navarro Guerrero "
        "Cabrera Benites Tapia Luna Villanueva Arias Soto Alarcón Bautista Yupanqui Mayta "
        "Ccoa Cusi Inga Taipe Llanos Pari Ayala Pacheco Vera Marín Manrique Ochoa Paucar "
        "Sosa Valencia Zúñiga Loayza Arce Aquino Lozano Peña Rivas Acosta Olivera Fuentes "
        "Vega Bravo Cano Cueva Arroyo Velásquez Escobar Meza Carbajal Miranda Ponce Poma "
        "Tito Cutipa Machaca Layme Huarca Colque Cahuana Ccahuana Huillca Chambi Huayta "
        "Sullca Coaquira Lazo Román Tello Quiroz Aguirre Muñoz Rosales Palacios Salinas "
        "Montoya Zevallos Saavedra Sarmiento Rengifo Pinedo Panduro Chunga Farfán Purizaca "
        "Huallpa Ccori Ttito Huarcaya Huayhua Ccallo Ccolque Ccopa Cjuro Achahui "
        "Puma Anccasi Ccasani Huarachi Quispicusi Pumacahua Chuquimamani Mollohuanca Cancapa "
        "Sucasaire Ñahui Ylla Lupaca Chuctaya Sulla Quisocala Chuquihuanca Yauri Ñaupari "
        "Huaynate Inca Cjuno Tuanama Sangama Amasifuén Shupingahua Tapullima Satalaya "
        "Huaymacari Chapoñán Sernaqué Yovera Ipanaqué Chanduví Llontop Sirlopú Guamán"
    ).split()
)
# Compound surnames (one surname of several words), with the rank they take among the above.
PARTICLE_SURNAMES: tuple[tuple[str, int], ...] = (
    ("De la Cruz", 35),
    ("Del Águila", 110),
    ("De la Torre", 140),
    ("Del Castillo", 160),
    ("De los Santos", 175),
)
TAIL_SURNAMES = 4000  # rare surnames after the common ones
TAIL_EXPONENT = 0.8  # flatter than the Zipf 1 of the common ones: a long tail

# First given names in % of women / of men; the other names share the rest (Zipf).
TOP_FEMALE: tuple[tuple[str, float], ...] = (
    ("María", 14.0),
    ("Rosa", 3.5),
    ("Ana", 3.0),
    ("Carmen", 2.5),
    ("Luz", 2.5),
    ("Juana", 2.0),
    ("Elizabeth", 1.8),
    ("Milagros", 1.6),
    ("Gladys", 1.4),
    ("Patricia", 1.4),
    ("Julia", 1.2),
    ("Flor", 1.2),
    ("Sonia", 1.2),
    ("Nancy", 1.2),
    ("Silvia", 1.1),
    ("Lucía", 1.0),
    ("Yolanda", 1.0),
    ("Marleny", 0.9),
    ("Liliana", 0.9),
    ("Diana", 0.9),
)
OTHER_FEMALE: tuple[str, ...] = tuple(
    (
        "Rocío Yesenia Verónica Carla Karina Jessica Maribel Roxana Susana Martha Gloria "
        "Isabel Teresa Elena Beatriz Sandra Vanessa Katherine Fiorella Norma Esther Ruth Delia "
        "Edith Maritza Pilar Raquel Sofía Daniela Valeria Ximena Andrea Paola Claudia Cecilia "
        "Salomé Nélida Iris Zulema Yovana Marisol Inés Noemí Jackeline Yaneth Lizbeth Vilma "
        "Zoila Haydée Mercedes Olga Betty Hilda Lourdes Magaly Ivonne Yessica Mayra Deysi "
        "Rosmery Yeni Elva Lidia Marina Antonia Clara Victoria Margarita Sara Guadalupe "
        "Alicia Amanda Angélica Aurora Blanca Brenda Carolina Catalina Celia Cinthia Dora "
        "Elsa Emma Erika Estela Eva Fabiola Fanny Felicitas Gabriela Graciela Irma Janet "
        "Jenny Judith Karen Leticia Lorena Lucy Luisa Magdalena Marisela Melissa Mirian Nora "
        "Pamela Paula Regina Rebeca Rita Sabina Senaida Shirley Soledad Tania Vicenta Wendy "
        "Yanina Zenaida Alejandrina Benita Eulalia Florencia Hermelinda Justina Nieves"
    ).split()
)
TOP_MALE: tuple[tuple[str, float], ...] = (
    ("Juan", 7.5),
    ("José", 7.0),
    ("Luis", 5.0),
    ("Carlos", 4.5),
    ("Jorge", 3.0),
    ("Miguel", 2.5),
    ("César", 2.2),
    ("Víctor", 2.2),
    ("Jesús", 1.8),
    ("Pedro", 1.8),
    ("Manuel", 1.6),
    ("Julio", 1.5),
    ("Marco", 1.4),
    ("Javier", 1.4),
    ("Raúl", 1.3),
    ("Walter", 1.2),
    ("Edwin", 1.2),
    ("Wilber", 1.1),
    ("Fernando", 1.1),
    ("Alberto", 1.0),
)
OTHER_MALE: tuple[str, ...] = tuple(
    (
        "Ricardo Roberto Eduardo Hugo Héctor Ángel Rubén Óscar Alfredo Mario Daniel David Alex "
        "Richard Franklin Henry Elmer Nilton Wilson Fredy Rolando Segundo Santos Teodoro Félix "
        "Hernán Germán Gustavo Sergio Andrés Iván Rafael Martín Emilio Ramiro Abel Lucio Justo "
        "Gregorio Hilario Néstor Efraín Ulises Cristian Kevin Jhon Wilmer Jhonatan Elvis Frank "
        "Saúl Nilo Percy Américo Edgar Freddy Roger Willy Yuri Alan Omar Rodolfo Marcos Felipe "
        "Hilder Ronald Jaime Armando Antonio Enrique Francisco Pablo Ernesto Leoncio "
        "Adolfo Agustín Alejandro Álvaro Aníbal Arturo Augusto Benjamín Braulio Celestino "
        "Cirilo Claudio Dante Darío Edson Elías Erick Esteban Eusebio Fabián Fidel Flavio "
        "Gilberto Guillermo Gonzalo Hernando Hipólito Ignacio Isaac Joel Jonatán Lino "
        "Lorenzo Mauricio Máximo Moisés Nelson Noé Octavio Orlando Pascual Reynaldo Rigoberto "
        "Rosendo Rufino Samuel Silvestre Simón Teófilo Tomás Valentín Vicente Zacarías"
    ).split()
)
# How likely a first given name comes with a second one, and which second ones it takes.
SECOND_NAME_ODDS = 0.55
SECOND_NAME_ODDS_BY_FIRST = {"María": 0.8, "José": 0.7, "Juan": 0.7, "Ana": 0.6, "Rosa": 0.6}
COMPOUNDS: dict[str, tuple[tuple[str, float], ...]] = {
    "María": (
        ("Elena", 5),
        ("del Carmen", 5),
        ("Isabel", 4),
        ("Luisa", 3),
        ("Teresa", 3),
        ("Esther", 2),
        ("Rosa", 2),
        ("del Pilar", 2),
        ("Jesús", 1),
        ("Magdalena", 1),
        ("de los Ángeles", 1),
        ("Cristina", 1),
    ),
    "José": (
        ("Luis", 5),
        ("Antonio", 4),
        ("Carlos", 3),
        ("Manuel", 2),
        ("Miguel", 2),
        ("Alberto", 1),
        ("Francisco", 1),
    ),
    "Juan": (
        ("Carlos", 6),
        ("José", 3),
        ("Manuel", 2),
        ("Pablo", 2),
        ("Antonio", 1),
        ("de Dios", 1),
    ),
    "Luis": (("Alberto", 4), ("Miguel", 3), ("Enrique", 2), ("Fernando", 2), ("Ángel", 1)),
    "Carlos": (("Alberto", 4), ("Enrique", 2), ("Alfredo", 2), ("Eduardo", 1), ("Antonio", 1)),
    "Jorge": (("Luis", 4), ("Antonio", 2), ("Alberto", 1), ("Eduardo", 1)),
    "Miguel": (("Ángel", 8), ("Antonio", 1)),
    "Víctor": (("Hugo", 4), ("Raúl", 2), ("Manuel", 2)),
    "Rosa": (("María", 4), ("Luz", 2), ("Elvira", 1), ("Isabel", 1)),
    "Ana": (("María", 5), ("Cecilia", 2), ("Lucía", 1), ("Rosa", 1)),
    "Luz": (("Marina", 2), ("María", 2), ("Elena", 1)),
}
SECOND_NAMES = {
    "F": (
        "Elena Isabel Luz Rosa Milagros Esther Beatriz Teresa Cecilia Victoria Mercedes Sofía "
        "Alejandra Marlene Fiorella Lucía Gabriela Vanessa Pamela Carolina Del_Rocío Del_Pilar "
        "Del_Carmen Paola Jimena Yolanda Maribel Karina"
    )
    .replace("Del_", "del ")
    .split(),
    "M": (
        "Carlos José Alberto Antonio Luis Manuel Enrique Alfredo Eduardo Ángel Fernando Martín "
        "Andrés Hugo Raúl Alejandro Javier Augusto Arturo Ricardo Daniel Gonzalo Rafael César "
        "Humberto Gabriel Rodrigo Felipe Jesús Aurelio"
    ).split(),
}
# People whose first given name is one of these often go by their second one ("Elena").
GO_BY_SECOND = {"María": 0.4, "José": 0.35, "Juan": 0.3, "Ana": 0.25, "Rosa": 0.2}
GO_BY_SECOND_OTHERS = 0.1


# Spellings of one Quechua or Aymara surname (the usual one first) and the share of rows that
# write another one of them: by ear (Guamán for Huamán), with the doubled consonant dropped
# (Cori for Ccori, Tito for Ttito), or in the modern alphabet (Waman, Qori, Willka). A person
# registered under any of them may be written with any other.
SURNAME_SPELLINGS: tuple[tuple[tuple[str, ...], float], ...] = (
    (("Huamán", "Guamán", "Waman", "Wamán"), 0.12),
    (("Quispe", "Quispi", "Qhispe", "Kispe"), 0.04),
    (("Ccori", "Qori", "Cori", "Ccory"), 0.2),
    (("Huillca", "Willka", "Huilca", "Willca"), 0.15),
    (("Yupanqui", "Yupanki", "Yupanky"), 0.1),
    (("Ttito", "Tito", "Thito"), 0.2),
    (("Ccahuana", "Cahuana", "Qahuana", "Kahuana"), 0.18),
    (("Condori", "Cunduri", "Kunturi", "Condory"), 0.05),
    (("Mamani", "Mamany"), 0.03),
    (("Huanca", "Wanka", "Guanca"), 0.06),
    (("Ccama", "Cama", "Qama"), 0.15),
    (("Ccoa", "Coa", "Qoa"), 0.15),
    (("Ccallo", "Callo", "Qallo"), 0.15),
    (("Ccolque", "Colque", "Qolque"), 0.15),
    (("Ccopa", "Copa", "Qopa"), 0.15),
    (("Huayhua", "Waywa", "Guayhua"), 0.1),
    (("Huarcaya", "Warcaya", "Guarcaya"), 0.08),
    (("Huallpa", "Wallpa", "Guallpa"), 0.1),
    (("Huarachi", "Warachi", "Guarachi"), 0.08),
    (("Choque", "Chuqui", "Choqque"), 0.05),
    (("Mayta", "Maita"), 0.08),
    (("Apaza", "Apasa"), 0.05),
    (("Ticona", "Tikona"), 0.05),
    (("Cusi", "Kusi", "Cussi"), 0.1),
    (("Chambi", "Champi"), 0.08),
    (("Anccasi", "Ancasi"), 0.15),
    (("Ccasani", "Casani"), 0.15),
    (("Cjuro", "Ccuro", "Juro"), 0.15),
    (("Quispicusi", "Quispecusi", "Qhispikusi"), 0.12),
    (("Pumacahua", "Pumaccahua"), 0.1),
)
GIVEN_SPELLINGS: tuple[tuple[tuple[str, ...], float], ...] = (
    (("Wilber", "Wilver", "Wilbert"), 0.15),
    (("Jhon", "John", "Jon"), 0.15),
    (("Yesenia", "Yessenia", "Yecenia"), 0.12),
    (("Elizabeth", "Elisabeth", "Elizabet"), 0.08),
    (("Katherine", "Katerine", "Katheryn"), 0.15),
    (("Jhonatan", "Jonathan", "Yonatan"), 0.15),
    (("Yaneth", "Janeth", "Yanet"), 0.12),
    (("Lizbeth", "Lisbeth"), 0.1),
    (("Jackeline", "Jaqueline", "Yaqueline"), 0.15),
    (("Marleny", "Marleni"), 0.1),
    (("Yovana", "Giovanna", "Yobana"), 0.15),
    (("Vilma", "Wilma"), 0.1),
    (("Wilmer", "Vilmer"), 0.1),
    (("Haydée", "Aydee"), 0.1),
    (("Yessica", "Jessica", "Yesica"), 0.1),
    (("Deysi", "Deisy", "Daysi"), 0.15),
    (("Rosmery", "Rosmeri", "Rose Mary"), 0.1),
    (("Freddy", "Fredy"), 0.15),
)


def _spelling_index(
    groups: tuple[tuple[tuple[str, ...], float], ...],
) -> dict[str, tuple[tuple[str, ...], float]]:
    """Spelling -> (the other spellings of it, share of rows that write one of them)."""
    return {
        key(spelling): (tuple(other for other in forms if other != spelling), rate)
        for forms, rate in groups
        for spelling in forms
    }


_SURNAME_SPELLINGS = _spelling_index(SURNAME_SPELLINGS)
_GIVEN_SPELLINGS = _spelling_index(GIVEN_SPELLINGS)


def respell(name: str, rng: random.Random, *, given: bool, factor: float = 1.0) -> str:
    """One word of a name as this row writes it: now and then another of its spellings."""
    others, rate = (_GIVEN_SPELLINGS if given else _SURNAME_SPELLINGS).get(key(name), ((), 0.0))
    if others and rng.random() < rate * factor:
        return rng.choice(others)
    return name


_PARTICLES = ("De los ", "De las ", "De la ", "Del ", "De ")


def particle_form(surname: str, rng: random.Random) -> str:
    """A compound surname as some rows write it: De la Cruz, Delacruz, Dela Cruz or Cruz."""
    particle = next((p for p in _PARTICLES if surname.startswith(p)), "")
    if not particle or rng.random() >= 0.25:
        return surname
    rest = surname[len(particle) :]
    draw = rng.random()
    if draw < 0.4:
        return (particle.replace(" ", "") + rest.lower()).capitalize()  # Delacruz
    if draw < 0.75:
        return rest  # Cruz
    return particle.replace(" ", "", particle.count(" ") - 1) + rest  # Dela Cruz


@dataclass(frozen=True)
class Setting:
    name: str
    # Surnames that take a fixed share of people, in %; the rest share what is left at their
    # realistic proportions. Empty: realistic frequencies as they are.
    surname_head: tuple[tuple[str, float], ...] = ()
    female_head: tuple[tuple[str, float], ...] = ()
    male_head: tuple[tuple[str, float], ...] = ()
    siblings: float = 0.01  # persons given another person's two surnames
    married: float = 0.12  # women who add "de" and their husband's surname on some rows
    foreigners: float = 0.012  # persons with a foreign resident card or a passport


SETTINGS: dict[str, Setting] = {
    REALISTIC: Setting(REALISTIC),
    NAMESAKES: Setting(
        NAMESAKES,
        surname_head=(
            ("Quispe", 22.0),
            ("Mamani", 16.0),
            ("Flores", 13.0),
            ("Huamán", 12.0),
            ("Condori", 6.0),
            ("Choque", 4.0),
            ("Apaza", 3.0),
        ),
        female_head=(
            ("María", 35.0),
            ("Rosa", 14.0),
            ("Ana", 10.0),
            ("Juana", 8.0),
            ("Carmen", 8.0),
        ),
        male_head=(
            ("Juan", 25.0),
            ("José", 20.0),
            ("Luis", 15.0),
            ("Carlos", 10.0),
            ("Jorge", 5.0),
        ),
        siblings=0.03,
    ),
}


class Frequencies:
    """One weighted list of names: draw from it with `pick`."""

    def __init__(self, weights: list[tuple[str, float]]) -> None:
        self.names = [name for name, _ in weights]
        total = sum(weight for _, weight in weights)
        self.shares = {name: weight / total for name, weight in weights}
        self._cumulative = list(accumulate(weight / total for _, weight in weights))

    def pick(self, rng: random.Random) -> str:
        return rng.choices(self.names, cum_weights=self._cumulative)[0]


def _zipf_from(start_rank: int, share_at_start: float, names: list[str]) -> list[float]:
    """Shares that carry on a Zipf (exponent 1) curve from `share_at_start` at `start_rank`."""
    return [share_at_start * start_rank / (start_rank + 1 + i) for i in range(len(names))]


def _without(names: list[str], taken: set[str]) -> list[str]:
    out = []
    for name in names:
        if key(name) not in taken:
            taken.add(key(name))
            out.append(name)
    return out


@cache
def _realistic_surnames() -> tuple[tuple[str, float], ...]:
    head = [(name, share / 100) for name, share in TOP_SURNAMES]
    taken = {key(name) for name, _ in head}
    common = _without(list(COMMON_SURNAMES), taken)
    for name, rank in PARTICLE_SURNAMES:
        common.insert(rank - len(head) - 1, name)
        taken.add(key(name))
    last = min(share for _, share in head)
    body = list(zip(common, _zipf_from(len(head), last, common), strict=True))
    tail_share = 1.0 - sum(s for _, s in head) - sum(s for _, s in body)
    tail = _without(rare_surnames(TAIL_SURNAMES + 200, 11), taken)[:TAIL_SURNAMES]
    random.Random(11).shuffle(tail)  # they come sorted: no name is rarer for its letter
    start = len(head) + len(body)
    raw = [1.0 / (start + 1 + i) ** TAIL_EXPONENT for i in range(len(tail))]
    scale = tail_share / sum(raw)
    return tuple(head + body + [(name, w * scale) for name, w in zip(tail, raw, strict=True)])


def _given(top: tuple[tuple[str, float], ...], others: tuple[str, ...]) -> list[tuple[str, float]]:
    """The head at its shares, the other names on a falling curve below the head's last one
    that holds the rest (a Zipf curve flattened until it does)."""
    head = [(name, share / 100) for name, share in top]
    rest = _without(list(others), {key(name) for name, _ in head})
    last, left = min(s for _, s in head), 1.0 - sum(s for _, s in head)
    if last * len(rest) < left:
        raise ValueError("too few given names to hold the rest of the people")
    low, high = 0.0, 1.0  # the exponent: 1 is Zipf, 0 every name at the head's last share
    for _ in range(50):
        exponent = (low + high) / 2
        shares = [last * (len(head) / (len(head) + 1 + i)) ** exponent for i in range(len(rest))]
        low, high = (low, exponent) if sum(shares) < left else (exponent, high)
    scale = left / sum(shares)
    return head + [(name, s * scale) for name, s in zip(rest, shares, strict=True)]


def _with_head(
    weights: list[tuple[str, float]] | tuple[tuple[str, float], ...],
    head: tuple[tuple[str, float], ...],
) -> list[tuple[str, float]]:
    """`head` at its fixed shares (in %), the other names scaled into the rest."""
    if not head:
        return list(weights)
    fixed = {key(name): share / 100 for name, share in head}
    rest = [(name, w) for name, w in weights if key(name) not in fixed]
    scale = (1.0 - sum(fixed.values())) / sum(w for _, w in rest)
    return [(name, share / 100) for name, share in head] + [(n, w * scale) for n, w in rest]


@dataclass(frozen=True)
class NameTables:
    surnames: Frequencies
    female: Frequencies
    male: Frequencies


@cache
def tables(setting: str) -> NameTables:
    chosen = SETTINGS[setting]
    return NameTables(
        Frequencies(_with_head(_realistic_surnames(), chosen.surname_head)),
        Frequencies(_with_head(_given(TOP_FEMALE, OTHER_FEMALE), chosen.female_head)),
        Frequencies(_with_head(_given(TOP_MALE, OTHER_MALE), chosen.male_head)),
    )


@dataclass(frozen=True)
class GivenNames:
    parts: tuple[str, ...]  # ("María", "del Carmen")
    goes_by_second: bool  # signs some rosters with the second name only

    @property
    def text(self) -> str:
        return " ".join(self.parts)


def draw_given(rng: random.Random, sex: str, setting: str) -> GivenNames:
    names = tables(setting)
    first = (names.female if sex == "F" else names.male).pick(rng)
    if rng.random() >= SECOND_NAME_ODDS_BY_FIRST.get(first, SECOND_NAME_ODDS):
        return GivenNames((first,), False)
    compounds = COMPOUNDS.get(first)
    if compounds and rng.random() < 0.7:
        second = rng.choices([n for n, _ in compounds], weights=[w for _, w in compounds])[0]
    else:
        second = rng.choice(SECOND_NAMES[sex])
    if key(second) == key(first):
        return GivenNames((first,), False)
    odds = GO_BY_SECOND.get(first, GO_BY_SECOND_OTHERS)
    return GivenNames((first, second), rng.random() < odds)


def draw_surname(rng: random.Random, setting: str) -> str:
    return tables(setting).surnames.pick(rng)


def distribution(people: list[tuple[str, str, str, str]]) -> dict[str, object]:
    """Checks of the drawn names: people as (given, paternal, maternal, sex) tuples."""
    count = max(len(people), 1)
    paternal = Counter(key(p) for _, p, _, _ in people)
    top20 = paternal.most_common(20)
    firsts = {
        sex: Counter(key(g.split(" ")[0]) for g, _, _, s in people if s == sex) for sex in "FM"
    }
    full = Counter((key(g), key(p), key(m)) for g, p, m, _ in people)
    return {
        "persons": len(people),
        "quispe_paternal_pct": 100 * paternal["QUISPE"] / count,
        "quispe_any_pct": 100
        * sum(1 for _, p, m, _ in people if "QUISPE" in (key(p), key(m)))
        / count,
        "top20_paternal_pct": 100 * sum(n for _, n in top20) / count,
        "top20_paternal": [name for name, _ in top20],
        "distinct_paternal": len(paternal),
        "paternal_seen_once_pct": 100 * sum(1 for n in paternal.values() if n == 1) / count,
        "top_given": {
            sex: [
                (name, round(100 * n / max(sum(c.values()), 1), 1)) for name, n in c.most_common(5)
            ]
            for sex, c in firsts.items()
        },
        "two_given_names_pct": 100 * sum(1 for g, _, _, _ in people if " " in g) / count,
        "namesakes_pct": 100 * sum(n for n in full.values() if n > 1) / count,
        "largest_namesake_group": max(full.values(), default=0),
    }

"""Name lists for synthetic Peruvian rosters, ordered from most to least common.

The order drives a Zipf-like frequency. A long tail of invented Andean-sounding surnames is
added by ``rare_surnames`` so that term-frequency weighting has rare values to work with.
"""

from __future__ import annotations

import numpy as np

SURNAMES = (
    "Quispe Flores Sánchez Rodríguez García Rojas Gonzáles Huamán Mamani Ramos Chávez Torres "
    "Díaz Mendoza Vásquez López Castillo Cruz Ramírez Espinoza Pérez Vargas Gutiérrez Fernández "
    "Rivera Salazar Morales Condori Herrera Gómez Ruiz Álvarez Castro Jiménez Medina Romero "
    "Silva Martínez Vilca Ticona Apaza Ccama Choque Huanca Palomino Román "
    "Cárdenas Córdova Reyes Aguilar Cáceres Valdivia Zapata Paredes Campos "
    "Ortiz Huayta Salas Chambi Calderón Carrasco Núñez Delgado "
    "Navarro Guerrero Cabrera Benites Tapia Luna Villanueva Arias Ccoa Mayta Yupanqui Soto Alarcón "
    "Bautista Cusi Sullca Inga Cahuana Taipe Llanos Coaquira Lazo Pari Ayala Pacheco Vera Marín "
    "Manrique Ochoa Paucar Sosa Valencia Zúñiga Loayza Ccallo Arce Aquino Lozano Peña Rivas Lupaca "
    "Acosta Olivera Fuentes Vega Bravo Cano Cueva Arroyo Velásquez Escobar Meza Carbajal Miranda "
    "Ponce Poma Tito Ylla Ñahui Cutipa Machaca Layme Huarca Colque Sucasaire Cjuro Achahui "
    "Ccorimanya "
    "Huillca Ccahuana Pumacahua Chuquimamani Quispicusi Huayhua Huarcaya Ccolque Anccasi Puma "
    "Ccopa Chuctaya Sulla Ccasani Mollohuanca Quisocala Chuquihuanca Cancapa Huarachi"
).split()

FEMALE_NAMES = (
    "María Rosa Ana Carmen Luz Juana Elizabeth Rocío Milagros Yesenia Sonia Gladys Patricia Lucía "
    "Nancy Julia Flor Silvia Mónica Verónica Carla Karina Diana Jessica Liliana Maribel Roxana "
    "Susana Martha Gloria Isabel Teresa Elena Beatriz Sandra Vanessa Katherine Fiorella Yolanda "
    "Norma Marleny Esther Ruth Delia Edith Maritza Pilar Raquel Sofía Daniela Valeria Ximena "
    "Andrea Paola Claudia Cecilia Salomé Nélida Iris Zulema Yovana Marisol Inés Noemí"
).split()

MALE_NAMES = (
    "Juan José Luis Carlos Jorge César Miguel Víctor Jesús Pedro Marco Antonio Manuel Julio Raúl "
    "Javier Fernando Ricardo Roberto Alberto Eduardo Walter Edwin Wilber Percy Hugo Héctor Ángel "
    "Rubén Óscar Alfredo Mario Daniel David Alex Richard Franklin Henry Elmer Nilton Wilson Fredy "
    "Rolando Segundo Santos Teodoro Félix Hernán Germán Gustavo Sergio Andrés Iván Rafael Martín "
    "Emilio Ramiro Abel Lucio Justo Gregorio Hilario Néstor Efraín Ulises Cristian Kevin Jhon"
).split()

_ONSETS = ("CH", "HU", "CC", "P", "T", "M", "LL", "Y", "S", "C", "N", "R", "Q", "CH", "H")
_VOWELS = ("A", "I", "U", "A", "I", "U", "E", "O")
_CODAS = ("", "", "", "N", "Y", "R", "S")
_ENDINGS = (
    "MANI",
    "HUANCA",
    "CAHUA",
    "PAZA",
    "YA",
    "CUSI",
    "NINA",
    "RIMACHI",
    "HUAYTA",
    "CCORI",
    "LLA",
    "SACA",
    "COTA",
    "PUMA",
    "CONDORI",
    "HUILLCA",
    "MAYTA",
    "TTITO",
    "CHUA",
    "QUE",
)

INSTITUTIONS = (
    "POLICIA NACIONAL DEL PERU",
    "MINISTERIO PUBLICO",
    "PODER JUDICIAL",
    "DEFENSORIA DEL PUEBLO",
    "MINISTERIO DE LA MUJER",
    "MINISTERIO DEL INTERIOR",
    "GOBIERNO REGIONAL",
    "MIGRACIONES",
    "SUNAFIL",
    "MUNICIPALIDAD PROVINCIAL",
)
ROLES = (
    "FISCAL",
    "FISCAL ADJUNTO",
    "JUEZ",
    "SUBOFICIAL",
    "OFICIAL",
    "ASISTENTE",
    "ESPECIALISTA",
    "INSPECTOR",
    "PSICOLOGO",
    "TRABAJADOR SOCIAL",
    "ABOGADO",
    "COORDINADOR",
)
REGIONS = (
    "LIMA",
    "CUSCO",
    "PUNO",
    "AREQUIPA",
    "LORETO",
    "MADRE DE DIOS",
    "TUMBES",
    "PIURA",
    "LA LIBERTAD",
    "JUNIN",
    "AYACUCHO",
    "HUANUCO",
    "SAN MARTIN",
    "UCAYALI",
    "CALLAO",
    "TACNA",
    "ICA",
    "ANCASH",
    "APURIMAC",
    "CAJAMARCA",
    "LAMBAYEQUE",
    "PASCO",
    "AMAZONAS",
    "MOQUEGUA",
    "HUANCAVELICA",
)
EMAIL_DOMAINS = (
    "gmail.com",
    "hotmail.com",
    "yahoo.es",
    "policia.gob.pe",
    "mpfn.gob.pe",
    "pj.gob.pe",
    "mimp.gob.pe",
    "outlook.com",
)


def rare_surnames(count: int, seed: int) -> list[str]:
    """Invented Andean-sounding surnames for the rare tail."""
    rng = np.random.default_rng(seed)
    out: set[str] = set()
    while len(out) < count:
        syllables = [
            _ONSETS[rng.integers(len(_ONSETS))]
            + _VOWELS[rng.integers(len(_VOWELS))]
            + _CODAS[rng.integers(len(_CODAS))]
            for _ in range(rng.integers(1, 3))
        ]
        word = "".join(syllables) + _ENDINGS[rng.integers(len(_ENDINGS))]
        out.add(word.replace("QA", "QUA").replace("QI", "QUI").replace("QU", "QU").capitalize())
    return sorted(out)


def zipf_weights(count: int, exponent: float = 1.0, offset: float = 3.0) -> np.ndarray:
    """Zipf-Mandelbrot weights: the top value gets a few percent, as "Quispe" does in Peru."""
    weights = 1.0 / (np.arange(1, count + 1) + offset) ** exponent
    return weights / weights.sum()

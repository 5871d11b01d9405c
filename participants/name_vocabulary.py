"""Which words are given names: for cells whose order the roster does not say.

A form's "Nombres y apellidos" holds "José Alberto Díaz" (two given names and one surname)
as often as "José Díaz Pari" (one given name and two surnames), and someone who answers a
learning platform's "Nombre" with their surnames swaps the two fields. Word position alone
cannot tell these apart; knowing that "Alberto" is a given name and "Díaz" a surname can.

The list holds given names common in Peru (Spanish, Andean and the English-looking ones
registrars write: "Jhon", "Wilber", "Yeni"), folded as `participants.names.fold` folds
them. A word that is also a frequent surname ("Cruz", "Santos", "Paz", "Luna") is left out:
it decides nothing.
"""

from __future__ import annotations

from participants.names import fold

_FEMALE = """
Ada Adela Adriana Alejandra Alicia Alison Amanda Amelia Ana Anabel Analí Andrea Ángela
Angélica Antonia Antonieta Araceli Aurora Beatriz Belinda Berta Betty Bertha Blanca Brenda
Camila Candelaria Carla Carmen Carolina Catalina Cecilia Celia Clara Claudia Consuelo
Cristina Daisy Dalia Daniela Deysi Delia Diana Dina Dora Doris Edith Elena Elisa Elizabeth
Elsa Elvira Emilia Erika Esperanza Estela Esther Eva Evelyn Fabiola Fátima Fiorella Flor
Florencia Francisca Gabriela Giovanna Gisela Gladys Gloria Graciela Guadalupe Haydee Hilda
Irene Iris Isabel Ivonne Jackeline Janet Jenny Jessica Jesica Johana Josefina Juana Judith
Julia Juliana Karen Karina Katherine Katia Keila Kelly Lady Leslie Leticia Lidia Liliana
Lisbeth Lorena Lourdes Lucía Lucila Lucy Luisa Luz Magaly Maribel Marisol Maritza Marlene
Marleny Margarita María Mariela Mayra Marina Marisa Martha Marta Mercedes Micaela Milagros Mirian
Miriam Mónica Nancy Natalia Nélida Nelly Noemí Norma Olga Olinda Pamela Paola Patricia
Paula Pilar Raquel Rebeca Regina Rocío Rosa Rosalía Rosario Rosmery Roxana Ruth Sabina
Sandra Sara Silvia Sofía Sonia Stefany Susana Tania Teresa Valeria Vanessa Verónica Victoria
Violeta Virginia Viviana Wendy Ximena Yanet Yeni Yesenia Yessica Yolanda Yovana Zoila Zulema
"""
_MALE = """
Abel Abraham Adolfo Adrián Agustín Alan Alberto Alejandro Alex Alexander Alfonso Alfredo
Alonso Álvaro Américo Anderson Andrés Ángel Aníbal Antonio Armando Arturo Augusto Bernardo
Braulio Brayan Bruno Carlos César Christian Cristian Cirilo Claudio Daniel Darío David
Denis Diego Edgar Edson Eduardo Edwin Efraín Elías Elmer Emilio Enrique Erick Ernesto
Esteban Eugenio Fabián Fausto Federico Felipe Félix Fernando Francisco Franklin Freddy
Fredy Gabriel Germán Gerardo Gilberto Gonzalo Gregorio Guillermo Gustavo Héctor Hernán
Hilario Hugo Humberto Ignacio Isaac Iván Jaime Javier Jesús Jhon Jhonny Joel Jonathan Jorge
José Josué Juan Julio Kevin Leonardo Lucio Luis Manuel Marcelino Marcial Marcos Mario
Martín Máximo Miguel Moisés Nelson Néstor Nicolás Nilton Norberto Óscar Oswaldo Pablo
Percy Pedro Rafael Ramiro Raúl Renato Ricardo Richard Roberto Rodolfo Rolando Rómulo Rubén
Samuel Saúl Sebastián Segundo Sergio Teodoro Tomás Ulises Víctor Vladimir Walter Wilber
Wilfredo Williams Wilmer Wilson Yuri
"""

GIVEN_NAMES = frozenset(fold(name) for name in (_FEMALE + _MALE).split())


def is_given_name(word: str) -> bool:
    """True for a word (any case, accents optional) that is a common given name."""
    return fold(word) in GIVEN_NAMES

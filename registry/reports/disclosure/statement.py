"""The sentence every download, workbook and command output carries about what it withholds."""

from __future__ import annotations

from registry.reports.disclosure.publish import Suppression

EXACT = (
    "Valores exactos, sin reserva de cifras pequeñas, pedidos por un administrador del "
    "registro; la consulta quedó registrada en la auditoría. No los publique."
)


def suppression_statement(suppression: Suppression | None) -> str:
    if suppression is None:
        return EXACT
    k, sensitive = suppression.k, suppression.sensitive_k
    return (
        f"Reserva de cifras pequeñas: una cifra de 1 a {k - 1} personas o participaciones se "
        f"muestra como «< {k}» (de 1 a {sensitive - 1} en los cursos sensibles: «< {sensitive}»); "
        "«x» es una cifra reservada para que ninguna de ellas pueda calcularse restando de los "
        "totales, las filas u otras tablas; las medias y porcentajes sobre menos de "
        f"{k} personas, o que dependen de una cifra reservada, no se muestran. En este informe: "
        f"{suppression.small} cifras pequeñas y {suppression.complementary} complementarias."
    )

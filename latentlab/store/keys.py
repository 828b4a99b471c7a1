"""Which command and function make each key of a store: every "run X first" message, in Python and in the
explorer page, is read from :data:`MAKERS`.

Keys are the file's paths (``obsm/X_umap``, ``uns/knn``); the API's short names for strokes and decodes
(``decoded/tau0.1``) are mapped by :func:`h5_key`.
"""
from __future__ import annotations

OWN_GROUPS = ("strokes", "decoded")  # latentlab's, kept under uns/

MAKERS: tuple[tuple[str, str, str], ...] = (  # key prefix, command (STORE: the store's path), function
    ("obsm/mu", "latentlab encode MODEL DATA -o STORE", "latentlab.store.encode_to_store"),
    ("obsm/sigma", "latentlab encode MODEL DATA -o STORE", "latentlab.store.encode_to_store"),
    ("obsm/z", "latentlab encode MODEL DATA -o STORE", "latentlab.store.encode_to_store"),
    ("uns/strokes", "latentlab encode MODEL DATA -o STORE", "latentlab.store.encode_to_store"),
    ("obsm/X_pca", "latentlab project STORE --method pca", "latentlab.tl.pca"),
    ("uns/pca", "latentlab project STORE --method pca", "latentlab.tl.pca"),
    ("obsm/X_umap", "latentlab project STORE --method umap", "latentlab.tl.umap"),
    ("uns/umap", "latentlab project STORE --method umap", "latentlab.tl.umap"),
    ("obsm/", "latentlab project STORE --key-added NAME", "latentlab.tl.umap"),
    ("uns/knn", "latentlab neighbors STORE", "latentlab.tl.neighbors"),
    ("uns/neighbors", "latentlab neighbors STORE", "latentlab.tl.neighbors"),
    ("obsp/distances", "latentlab neighbors STORE", "latentlab.tl.neighbors"),
    ("obsp/connectivities", "latentlab neighbors STORE", "latentlab.tl.neighbors"),
    ("obs/leiden", "latentlab cluster STORE", "latentlab.tl.leiden"),
    ("uns/leiden", "latentlab cluster STORE", "latentlab.tl.leiden"),
    ("obs/outlier_score", "latentlab audit STORE", "latentlab.tl.audit"),
    ("obs/label_score", "latentlab audit STORE", "latentlab.tl.audit"),
    ("obs/near_duplicate_score", "latentlab audit STORE", "latentlab.tl.audit"),
    ("uns/audit", "latentlab audit STORE", "latentlab.tl.audit"),
    ("uns/decoded", "latentlab decode STORE", "latentlab.tl.decode"),
    ("obs/Lr", "latentlab score STORE", "latentlab.tl.score"),
    ("obs/Lkl", "latentlab score STORE", "latentlab.tl.score"),
    ("uns/score", "latentlab score STORE", "latentlab.tl.score"),
)


def h5_key(key: str) -> str:
    """Where a key of the API lives in the file (strokes and decodes under ``uns/``)."""
    return f"uns/{key}" if key.split("/")[0] in OWN_GROUPS else key


def maker(key: str, store: str = "STORE") -> tuple[str, str] | None:
    """``(command, function)`` that writes ``key`` (the most specific entry of :data:`MAKERS`), or None.

    Parameters
    ----------
    key
        A key of the file or of the API.
    store
        The store's path, put into the command.
    """
    key = h5_key(key)
    found = [m for m in MAKERS if key == m[0] or key.startswith(m[0].rstrip("/") + "/") or
             (m[0].endswith("/") and key.startswith(m[0]))]
    if not found:
        return None
    prefix, command, function = max(found, key=lambda m: len(m[0]))
    return command.replace("STORE", store), function


def missing(store: str, key: str) -> str:
    """The message for a key ``store`` lacks: what makes it, when something does.

    Parameters
    ----------
    store
        The store's path.
    key
        The key it lacks.
    """
    made = maker(key, store)
    return f"{store}: no '{key}' in this store" + (f"; run `{made[0]}` ({made[1]}) first" if made else "")


def page_makers(store: str = "STORE") -> dict[str, str]:
    """Key -> command of the keys the explorer page may find missing (it shows these, never its own)."""
    return {key: command.replace("STORE", store) for key, command, _ in MAKERS if not key.endswith("/")}


# Projections, as scanpy names them: a method's result is obsm/X_<method> with its parameters in uns/<method>;
# ``key_added`` names both.  Every use of the ``X_`` prefix in latentlab goes through the functions below.
PROJECTION_PREFIX = "X_"
PROJECTION_METHODS = ("pca", "umap")


def obsm_key(basis: str, have=()) -> str:
    """The obsm key of a basis, by scanpy's rule: a key the store has (``have``) or that starts with ``X_`` as it
    is, else ``X_<basis>`` (``"umap"`` -> ``X_umap``).

    Parameters
    ----------
    basis
        A basis name or an obsm key.
    have
        The store's obsm keys.
    """
    return basis if basis in have or basis.startswith(PROJECTION_PREFIX) else PROJECTION_PREFIX + basis


def uns_key(basis: str) -> str:
    """The ``uns`` entry holding a projection's parameters: ``X_umap`` -> ``umap`` (a method's default
    ``key_added``), any other name -> itself."""
    method = basis.removeprefix(PROJECTION_PREFIX)
    return method if method in PROJECTION_METHODS and basis != method else basis


def projection_keys(method: str, key_added: str | None = None) -> tuple[str, str]:
    """``(obsm key, uns key)`` a projection writes: ``X_<method>`` and ``<method>``, or ``key_added`` (for a
    default name such as ``X_umap`` the uns key is still ``umap``).

    Parameters
    ----------
    method
        ``"pca"`` or ``"umap"``.
    key_added
        The user's name, or None.
    """
    obsm = key_added or PROJECTION_PREFIX + method
    return obsm, uns_key(obsm)


def basis_label(key: str) -> str:
    """A projection's name for people: ``X_umap`` -> ``UMAP``, any other obsm key as it is."""
    method = key.removeprefix(PROJECTION_PREFIX)
    return method.upper() if method in PROJECTION_METHODS and key != method else key


def is_default_projection(key: str) -> bool:
    """Whether an obsm key is a method's default (``X_pca``, ``X_umap``): a command makes it."""
    return key in (PROJECTION_PREFIX + m for m in PROJECTION_METHODS)


def is_projection(key: str) -> bool:
    """Whether an obsm key holds a projection by its name (``X_...``), which the store's check holds to 2-D."""
    return key.startswith(PROJECTION_PREFIX)


def layout2_uns_key(key: str) -> str:
    """Where layout 2 kept a projection's extras: under its obsm key without the ``X_``."""
    return key.removeprefix(PROJECTION_PREFIX)


# The steps a notebook suggests, in order (the key each makes, and why): the first a store lacks is the next one.
NEXT_STEPS = (("obsm/X_umap", "a map of the space"), ("uns/knn", "each sketch's nearest, and scanpy's graphs"),
              ("obs/leiden", "clusters, with a summary"),
              ("obs/outlier_score", "mislabelled, out-of-domain and repeated sketches"),
              ("uns/decoded", "thumbnails of the decodes"))


def next_step(has) -> str | None:
    """The call that makes the first key of :data:`NEXT_STEPS` a store lacks (``tl.umap(store)  # ...``), its
    function read from :data:`MAKERS`; None when it has them all.

    Parameters
    ----------
    has
        Whether the store holds a key (``store.has``).
    """
    for key, why in NEXT_STEPS:
        if not has(key):
            return f"{maker(key)[1].removeprefix('latentlab.')}(store)  # {why}"
    return None

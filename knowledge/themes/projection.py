"""The 2-D map of the ops console: feedback vectors projected on the two principal axes of the theme centroids
(PCA fitted on the centroids, not the items, so the axes are the ones along which themes differ most). Large
collections are sampled evenly by id, so the map costs the same at 100k items as at 2k."""

from __future__ import annotations

import numpy as np
from sklearn.decomposition import PCA
from sqlalchemy import select

from knowledge import models as m
from knowledge.db import Database
from knowledge.themes.schemas import MapPoint, ThemeMap
from knowledge.themes.store import from_blob
from knowledge.themes.vectors import VectorSource


class ThemeMapper:
    def __init__(self, db: Database, vectors: VectorSource) -> None:
        self.db = db
        self.vectors = vectors

    def map(self, limit: int = 2000) -> ThemeMap:
        """At most `limit` points, each with its theme (None: unthemed), and each active theme's centre."""
        with self.db.read() as s:
            rows = s.execute(select(m.Feedback.id, m.Feedback.text, m.Feedback.theme_id).order_by(m.Feedback.id)).all()
            themes = s.execute(
                select(m.Theme.id, m.Theme.centroid).where(m.Theme.status == "active", m.Theme.centroid.is_not(None))
            ).all()
        sampled = len(rows) > limit
        if sampled:
            rows = [rows[i] for i in np.linspace(0, len(rows) - 1, limit).astype(int)]
        if not rows:
            return ThemeMap(points=[], centres={}, sampled=False)
        vectors = self.vectors.vectors([r[0] for r in rows], [r[1] for r in rows])
        centroids = np.stack([from_blob(t[1]) for t in themes]) if themes else np.zeros((0, vectors.shape[1]))
        basis = centroids if len(centroids) >= 3 else vectors
        if len(basis) < 2:
            xy = np.zeros((len(vectors), 2))
            centres_xy = np.zeros((len(centroids), 2))
        else:
            pca = PCA(n_components=2, random_state=0).fit(basis)
            xy = pca.transform(vectors)
            centres_xy = pca.transform(centroids) if len(centroids) else np.zeros((0, 2))
        return ThemeMap(
            points=[
                MapPoint(id=r[0], x=round(float(p[0]), 4), y=round(float(p[1]), 4), theme_id=r[2], text=r[1][:160])
                for r, p in zip(rows, xy, strict=True)
            ],
            centres={
                t[0]: (round(float(c[0]), 4), round(float(c[1]), 4)) for t, c in zip(themes, centres_xy, strict=True)
            },
            sampled=sampled,
        )

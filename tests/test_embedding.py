"""Text -> vectors (qa/index/embedding.py): the deterministic fake the fast tests use, the
embedder a setting names, a model folder that is not one, and the real bundled model's vectors,
question cache and token counts (loaded once per session)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa.index.embedding import (
    MODEL_NAME,
    HashEmbedder,
    ModelError,
    SentenceTransformerEmbedder,
    bundled_model_path,
    make_embedder,
)


def test_the_fake_is_deterministic_normalized_and_case_blind() -> None:
    first, second = HashEmbedder(), HashEmbedder()
    texts = ["Total revenue rose", "total REVENUE rose", ""]
    vectors = first.embed(texts)
    assert vectors.shape == (3, 64) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    np.testing.assert_array_equal(vectors[0], vectors[1])
    np.testing.assert_array_equal(vectors, second.embed(texts))
    np.testing.assert_array_equal(first.embed_query("Total revenue rose"), vectors[0])
    assert first.texts_embedded == 4  # three in embed(), one in embed_query()


def test_shared_words_make_the_fake_vectors_close() -> None:
    embedder = HashEmbedder(dim=256)
    question, answer, other = embedder.embed(
        ["What was the total revenue?", "The total revenue was RMB1.42 billion.", "Cash fell."]
    )
    assert question @ answer > 0.4 > abs(question @ other)


def test_the_fake_counts_words_and_marks_generously() -> None:
    assert HashEmbedder().count_tokens("Revenue was RMB1.42 billion.") == 9  # 7 pieces + 2


@pytest.mark.parametrize(
    ("model", "kind", "name"),
    [("hash", HashEmbedder, "hash"), ("", SentenceTransformerEmbedder, MODEL_NAME)],
)
def test_make_embedder_builds_the_named_embedder_without_loading_it(
    model: str, kind: type, name: str
) -> None:
    embedder = make_embedder(model, threads=2)
    assert isinstance(embedder, kind) and embedder.name == name
    if isinstance(embedder, SentenceTransformerEmbedder):
        assert embedder._model is None and embedder.threads == 2  # loads on first use


def test_a_model_setting_that_is_not_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"QA_MODEL='.*nope' is not a folder"):
        make_embedder(str(tmp_path / "nope"))


def test_a_folder_without_a_model_is_refused_when_it_loads(tmp_path: Path) -> None:
    embedder = make_embedder(str(tmp_path))
    assert embedder.name == f"{MODEL_NAME}@{tmp_path.name}"
    with pytest.raises(ModelError, match="expected a sentence-transformers folder"):
        embedder.warm_up()


def test_the_bundled_model_is_a_sentence_transformers_folder() -> None:
    folder = bundled_model_path()
    assert (folder / "config.json").is_file() and (folder / "modules.json").is_file()


@pytest.mark.model
def test_the_real_model_embeds_unit_vectors_and_caches_questions(
    real_embedder: SentenceTransformerEmbedder,
) -> None:
    vectors = real_embedder.embed(["Revenue rose.", "Revenue increased."])
    assert vectors.shape == (2, 384) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert vectors[0] @ vectors[1] > 0.7  # a paraphrase, unlike the fake
    assert real_embedder.embed([]).shape == (0, 384)
    before = real_embedder.texts_embedded
    question = "What was the total revenue in the tests of the embedder?"
    first = real_embedder.embed_query(question)
    again = real_embedder.embed_query(question)
    assert again is first  # from the cache
    assert real_embedder.texts_embedded - before <= 1  # at most one forward pass for both
    assert real_embedder.count_tokens("Revenue rose.") == 5  # [CLS] revenue rose . [SEP]

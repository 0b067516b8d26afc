"""Chunks -> vectors -> the index on disk, and back.

`core` opens the index or rebuilds it when its manifest no longer fits (`open_index`);
`builder` builds one (chunks, figures, vectors, BM25); `io` is the `Index` record and the build
folder; `schema` checks its files; `manifest` is the typed record of a build (`Manifest`, its
`Fingerprint`) and its one parser; `freshness` says when a build is stale; `store` is the
`index/` folder, its atomic writes and lock; `reuse` takes what a new build can from the last.
`embedding` and `onnxembed` turn text into vectors (build time with sentence-transformers,
question time with ONNX Runtime), `onnxexport` makes the ONNX model, `faissindex` chooses and
makes the FAISS index, `lexical` is the finance-aware tokenizer and BM25.
"""

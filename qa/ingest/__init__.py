"""Documents in: the corpus folder -> `Document`s -> `Chunk`s.

`scan` decides which files may be read, `loaders/` turns each format into text and tables,
`metadata` finds a release's title, company and period, `corpus` loads the documents with
content-hash ids, `library` adds and removes files, and `chunking` cuts a document into chunks
that keep their exact spans in the source.
"""

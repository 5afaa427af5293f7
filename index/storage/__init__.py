"""Stories and the index on disk: story files (sources), the build and its manifest (store), the
memory-mapped paragraph and word tables (table), vectors for a build (vectors) and hot reload (reload).
Only this room knows the file layout, and store.py alone knows bm25s's internals."""

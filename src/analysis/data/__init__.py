"""Data: the table catalog, the raw corpus and its sentences, the text they are matched as."""

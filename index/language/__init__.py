"""Language rules shared by search and fact-checking: the one tokeniser (text), sentence splitter and
abbreviation list (sentences), speaker reader (speakers), acronym finder (acronyms), name index
(names), typo correction (spelling), synonyms and verb forms (lexicon) and question cues (question)."""

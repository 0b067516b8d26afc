"""Language every stage reads with: sentences, reporting periods, numbers as written,
and the words questions use. Pure functions and tables, no model and no index; any stage may
import them.
"""

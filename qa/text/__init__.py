"""Language every stage reads with: sentences, reporting periods, numbers as written,
the words questions use, and the question itself read once (`question.Question`: its intent,
the operation it asks for, its form and words). Pure functions and tables, no model and no
index; any stage may import them.
"""

"""Document management ("Beheer"): the corpus folder, its manifest and the index, changed
safely from the API and the web app. Built by the container; front ends reach it through
Services."""

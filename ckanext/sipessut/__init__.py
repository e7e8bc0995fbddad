"""ckanext-sipessut: a Satu Data portal for Indonesian sectoral statistics on CKAN."""

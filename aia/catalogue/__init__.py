"""The questionnaires an installation offers: those packaged with the app (YAML files) and
those imported into the database (Canada's AIA survey files), which every worker and every
host sees. Has no pages of its own."""

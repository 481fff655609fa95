"""What an imported Canadian questionnaire says besides its questions, written by us: its title,
the notice of its source, and what the Directive on Automated Decision-Making asks at each
impact level, summarised in our own words in English and French (the Directive itself is the
authority; these summaries help a reader, they do not replace it)."""

from __future__ import annotations

from typing import Any

TITLE = {
    "en": "Algorithmic Impact Assessment (Canada)",
    "fr": "Évaluation de l'incidence algorithmique (Canada)",
}

NOTICE = {
    "en": (
        "Questions, choices and scoring rules from the Algorithmic Impact Assessment tool "
        "of the Government of Canada (canada-ca/aia-eia-js), MIT licence, Crown copyright "
        "(Government of Canada). Imported into aia; not endorsed by the Government of Canada. "
        "Assessments published with it are released under the Open Government Licence - Canada."
    ),
    "fr": (
        "Questions, choix et règles de calcul tirés de l'outil d'évaluation de l'incidence "
        "algorithmique du gouvernement du Canada (canada-ca/aia-eia-js), licence MIT, droit d'auteur "
        "de la Couronne (gouvernement du Canada). Importé dans aia ; sans approbation du gouvernement "
        "du Canada. Les évaluations publiées avec lui le sont sous la Licence du gouvernement "
        "ouvert - Canada."
    ),
}

NAMES = [
    {"en": "Little to no impact", "fr": "Incidence faible ou nulle"},
    {"en": "Moderate impact", "fr": "Incidence modérée"},
    {"en": "High impact", "fr": "Incidence élevée"},
    {"en": "Very high impact", "fr": "Incidence très élevée"},
]

AREAS = {
    "review": {"en": "Peer review", "fr": "Examen par les pairs"},
    "notice": {"en": "Notice", "fr": "Avis"},
    "human": {"en": "Human involvement", "fr": "Intervention humaine"},
    "explanation": {"en": "Explanation", "fr": "Explication"},
    "training": {"en": "Training", "fr": "Formation"},
    "contingency": {"en": "Contingency", "fr": "Plan d'urgence"},
    "approval": {"en": "Approval to operate", "fr": "Autorisation d'exploitation"},
}

# area -> the requirement at levels I, II, III and IV
REQUIREMENTS: dict[str, list[dict[str, str]]] = {
    "review": [
        {"en": "No peer review is needed.", "fr": "Aucun examen par les pairs n'est nécessaire."},
        {
            "en": "Have at least one qualified expert review the system, and publish what they found "
            "or a plain summary of it.",
            "fr": "Faire examiner le système par au moins un expert qualifié, puis publier ses "
            "conclusions ou un résumé clair.",
        },
        {
            "en": "Have at least one qualified expert review the system, and publish what they found "
            "or a plain summary of it.",
            "fr": "Faire examiner le système par au moins un expert qualifié, puis publier ses "
            "conclusions ou un résumé clair.",
        },
        {
            "en": "Have at least two qualified experts review the system, and publish what they found "
            "or a plain summary of it.",
            "fr": "Faire examiner le système par au moins deux experts qualifiés, puis publier "
            "leurs conclusions ou un résumé clair.",
        },
    ],
    "notice": [
        {
            "en": "Tell people, in plain words, that the decision is made or helped by an automated system.",
            "fr": "Dire aux personnes, en termes simples, que la décision est prise ou appuyée "
            "par un système automatisé.",
        },
        {
            "en": "Tell people, in plain words and wherever they are served, that an automated "
            "system makes or helps the decision.",
            "fr": "Dire aux personnes, en termes simples et partout où elles sont servies, qu'un "
            "système automatisé prend ou appuie la décision.",
        },
        {
            "en": "Tell people where they are served, and publish plain documentation of how the "
            "system works on the department's website.",
            "fr": "Informer les personnes là où elles sont servies et publier sur le site du "
            "ministère une documentation claire sur le fonctionnement du système.",
        },
        {
            "en": "Tell people where they are served, and publish plain documentation of how the "
            "system works on the department's website.",
            "fr": "Informer les personnes là où elles sont servies et publier sur le site du "
            "ministère une documentation claire sur le fonctionnement du système.",
        },
    ],
    "human": [
        {
            "en": "The system may decide without a person taking part in each decision.",
            "fr": "Le système peut décider sans qu'une personne intervienne dans chaque décision.",
        },
        {
            "en": "The system may decide without a person taking part in each decision.",
            "fr": "Le système peut décider sans qu'une personne intervienne dans chaque décision.",
        },
        {
            "en": "A person must take part at set points, and a person makes the final decision.",
            "fr": "Une personne doit intervenir à des étapes définies, et c'est une personne qui "
            "prend la décision finale.",
        },
        {
            "en": "A person must take part at set points, and a person makes the final decision.",
            "fr": "Une personne doit intervenir à des étapes définies, et c'est une personne qui "
            "prend la décision finale.",
        },
    ],
    "explanation": [
        {
            "en": "Give the person a meaningful explanation of how and why the decision was reached.",
            "fr": "Donner à la personne une explication utile de la manière dont la décision a été "
            "prise, et pourquoi.",
        }
    ]
    * 4,
    "training": [
        {"en": "No particular training is needed.", "fr": "Aucune formation particulière n'est exigée."},
        {
            "en": "Give staff documentation on how the system is designed and how it works.",
            "fr": "Fournir au personnel une documentation sur la conception et le fonctionnement du système.",
        },
        {
            "en": "Give staff documentation and training courses on the system.",
            "fr": "Fournir au personnel une documentation et des cours de formation sur le système.",
        },
        {
            "en": "Give staff documentation and training, renewed regularly, and check that those "
            "who use the system can override it.",
            "fr": "Fournir au personnel une documentation et une formation renouvelée "
            "régulièrement, et vérifier que les utilisateurs peuvent passer outre au système.",
        },
    ],
    "contingency": [
        {"en": "No contingency plan is needed.", "fr": "Aucun plan d'urgence n'est exigé."},
        {"en": "No contingency plan is needed.", "fr": "Aucun plan d'urgence n'est exigé."},
        {
            "en": "Have a plan and a backup ready so that the service goes on if the system fails.",
            "fr": "Prévoir un plan et une solution de secours pour que le service continue si le "
            "système tombe en panne.",
        },
        {
            "en": "Have a plan and a backup ready so that the service goes on if the system fails.",
            "fr": "Prévoir un plan et une solution de secours pour que le service continue si le "
            "système tombe en panne.",
        },
    ],
    "approval": [
        {
            "en": "No approval beyond the usual is needed.",
            "fr": "Aucune autorisation particulière n'est exigée.",
        },
        {
            "en": "No approval beyond the usual is needed.",
            "fr": "Aucune autorisation particulière n'est exigée.",
        },
        {
            "en": "The deputy head of the department approves the system before it is used.",
            "fr": "L'administrateur général du ministère autorise le système avant son utilisation.",
        },
        {
            "en": "The Treasury Board approves the system before it is used.",
            "fr": "Le Conseil du Trésor autorise le système avant son utilisation.",
        },
    ],
}

LEVELS: list[dict[str, Any]] = [
    {
        "level": number,
        "name": NAMES[number - 1],
        "obligations": [{"area": AREAS[area], "text": REQUIREMENTS[area][number - 1]} for area in AREAS],
    }
    for number in (1, 2, 3, 4)
]

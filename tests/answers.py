"""Answer sets for the starter questionnaire, reused across tests."""

STARTER_COMPLETE = {
    "decision": "Who is invited to a review interview",
    "purpose": "Sorts claims so that reviewers see the riskiest first.",
    "go_live": "2025-01-15",
    "people_per_year": 5000,
    "decision_area": "services",
    "affects_rights": "yes",
    "uses_group_data": "no",
    "black_box": "no",
    "harm_likelihood": "occasional",
    "harm_impact": "moderate",
    "harm_description": "Payments could be delayed.",
    "data_kinds": ["administrative"],
    "human_review": "yes",
    "appeal": "no",
    "contact": "team@agency.example",
}

# Text that looks like markup, with both kinds of quote and an ampersand: every page that shows
# it must show it as text.
HTML_LIKE = """<script>alert("x")</script><img src=x onerror="alert('y')"> Fish & chips"""

"""Session briefs for advisors: cited points on a theme, rendered as Markdown or Word."""

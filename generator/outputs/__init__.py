"""What the picks become: feeds, citation files, social posts, email, page security headers."""

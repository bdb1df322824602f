"""`shopql demo`: a deterministic multi-platform shop group written in each platform's real export format."""

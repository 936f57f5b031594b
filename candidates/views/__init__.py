"""The intake pages, one module per subject: files (the list, the file form, the funnel), outreach
(contacts and policies), needs (village needs and coverage) and imports (roster uploads)."""

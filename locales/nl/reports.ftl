# Reports, the CLI's report text and kaching doctor. Ids start with report- , cli- or doctor-.

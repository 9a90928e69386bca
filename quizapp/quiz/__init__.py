"""Taking quizzes: parsing responses, grading them, and the pages learners answer on."""

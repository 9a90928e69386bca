"""Who is signed in: instructors with passwords, learners with class and resume codes."""

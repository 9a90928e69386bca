"""The student's side: joining a class, resuming on another device, their own records."""

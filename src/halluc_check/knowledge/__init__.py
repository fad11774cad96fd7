"""What is known of libraries beyond their source: migration hints for removed and renamed APIs."""

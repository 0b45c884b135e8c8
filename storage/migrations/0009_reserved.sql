-- Reserved: 0009 is another branch's migration (the forum configuration). This empty step
-- only keeps the numbers of this branch consecutive; it is dropped when the branches meet.
SELECT 1;

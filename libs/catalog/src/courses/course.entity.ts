/** 必修 / 选修 — decided per audience, not per course. */
export type Requirement = 'required' | 'elective';

/**
 * Who a course is for within its program: one industry × one personnel category (三类人员 codes
 * of the program). `*` stands for every industry or every category of the program.
 */
export interface Audience {
  industry: string;
  category: string;
}

export interface CourseAudience extends Audience {
  requirement: Requirement;
}

export interface Course {
  id: string;
  programId: string;
  /** Unique within the program; the natural key seeds and imports upsert by. */
  code: string;
  title: string;
  description: string;
  audiences: CourseAudience[];
  /** YYYY-MM-DD; overrides the program's completion deadline for this course. */
  deadline?: string;
  demo: boolean;
}

export type NewCourse = Omit<Course, 'id'>;

/** draft: no video yet; processing: a packaging job runs; published: playable; failed: the last upload was rejected. */
export type LessonStatus = 'draft' | 'processing' | 'published' | 'failed';

export interface Lesson {
  id: string;
  courseId: string;
  /** 0-based order within the course. */
  position: number;
  title: string;
  status: LessonStatus;
  /** From ffprobe of the uploaded video. */
  durationSeconds?: number;
  /** The published HLS rendition (media context); a new upload replaces it only once packaged. */
  renditionId?: string;
  /** The packaging job of the latest upload. */
  jobId?: string;
  /** Why the latest upload was rejected (zh-CN), while status is failed. */
  failure?: { code: string; message: string };
}
